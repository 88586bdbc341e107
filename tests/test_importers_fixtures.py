"""The fixture files are exactly what make_fixtures.py builds, so they can be regenerated."""

import importlib.util
from collections.abc import Callable
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"


def _builders() -> dict[str, Callable[[], bytes]]:
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return dict(module.FIXTURES)


BUILDERS = _builders()


@pytest.mark.parametrize("name", BUILDERS)
def test_fixture_is_up_to_date(name: str) -> None:
    assert (FIXTURES / name).read_bytes() == BUILDERS[name](), "run make_fixtures.py"


def test_every_fixture_file_is_built_by_the_script() -> None:
    on_disk = {
        path.relative_to(FIXTURES).as_posix()
        for path in FIXTURES.rglob("*")
        if path.is_file() and path.suffix in (".vcf", ".csv")
    }
    assert on_disk == set(BUILDERS)


def test_the_fixtures_have_the_promised_encodings_and_line_endings() -> None:
    def read(name: str) -> bytes:
        return (FIXTURES / name).read_bytes()

    assert read("google_contacts.csv").startswith(b"\xef\xbb\xbf")
    assert read("google_contacts_legacy.csv").startswith(b"\xff\xfe")
    eight = read("eight.csv")
    assert eight.count(b"\r\n") == eight.count(b"\n")
    eight.decode("cp932")
    # 髙 is in cp932 but not in JIS X 0208 Shift_JIS.
    with pytest.raises(UnicodeDecodeError):
        eight.decode("shift_jis")
    assert read("vcard21_iphone_qp_sjis.vcf").isascii()
    assert b"QUOTED-PRINTABLE" in read("vcard21_iphone_qp_sjis.vcf")
    assert all(len(line) <= 75 for line in read("vcard30_android.vcf").split(b"\r\n"))
    assert b"\r\n " in read("vcard30_android.vcf")
    assert b"\r" not in read("vcard40_sort_as.vcf")
    assert read("malformed/empty.vcf") == b""
    assert b"\x00" in read("malformed/nul_bytes.vcf")
