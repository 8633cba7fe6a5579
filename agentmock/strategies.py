"""`agentmock.strategies`: the hypothesis strategies, importable as the README lists them.

>>> from agentmock.strategies import voicy_agents  # doctest: +SKIP

It is the module `agentmock.pytest_plugin.strategies` itself (one module, two names), and
like it needs `pip install 'agentmock[strategies]'`.
"""

from __future__ import annotations

import sys

from agentmock.pytest_plugin import strategies as _strategies

sys.modules[__name__] = _strategies
