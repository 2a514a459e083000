"""Start-up stays lean: a run imports only the model and loader modules of its resource types."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import policylint.model as model

S3_ONLY = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Site:
    Type: AWS::S3::Bucket
"""


def test_every_lazy_name_resolves_to_its_submodule() -> None:
    exported = set(model.__all__) - {"Model", "LoadResult"}
    assert exported == set(model._SUBMODULE)
    for name, submodule in model._SUBMODULE.items():
        value = getattr(model, name)
        assert value is getattr(importlib.import_module(f"policylint.model.{submodule}"), name)


def test_unknown_name_is_an_attribute_error() -> None:
    try:
        model.NoSuchThing  # noqa: B018
    except AttributeError as exc:
        assert "NoSuchThing" in str(exc)
    else:
        raise AssertionError("expected AttributeError")


def test_s3_template_does_not_import_api_gateway_or_network_models(tmp_path: Path) -> None:
    template = tmp_path / "bucket.yaml"
    template.write_text(S3_ONLY, encoding="utf-8")
    code = (
        "import sys\n"
        "from policylint.cli import main\n"
        "try:\n    main(['check', '--no-config', sys.argv[1]])\n"
        "except SystemExit:\n    pass\n"
        "mods = sorted(m for m in sys.modules if m.startswith('policylint.'))\n"
        "sys.stderr.write('MODULES ' + ' '.join(mods) + '\\n')\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(template)], capture_output=True, text=True, check=True
    )
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("MODULES ")
    loaded = set(last.split()[1:])
    assert "policylint.model.s3" in loaded  # the run did load the template
    for lean in ("policylint.model.apigw", "policylint.model.network", "policylint.apigw_openapi"):
        assert lean not in loaded, f"{lean} imported for an S3-only template"
