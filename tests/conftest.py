from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite the '# expect:' headers of tests/fixtures/bad/* from the actual output",
    )


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every region's site of the real content, and the portal beside them (built once)."""
    from generator.build.swap import build_site

    return build_site(ROOT / "mkdocs.yml", tmp_path_factory.mktemp("built") / "site")
