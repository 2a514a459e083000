"""policylint's rules inside cfn-lint: `cfn-lint --append-rules policylint.cfnlint_plugin`
(or the path of this directory). Imports cfnlint: load it only from cfn-lint.

Each policylint rule becomes one cfn-lint rule whose id is the policylint id behind its
severity letter (`CF010` -> `ECF010`); messages start with `[CF010]`. See docs/cfn-lint.md.
"""

from __future__ import annotations

from policylint.cfnlint_plugin import policylint_rules as _rules

globals().update({cls.__name__: cls for cls in _rules.CLASSES})
