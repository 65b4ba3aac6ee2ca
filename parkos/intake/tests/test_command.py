"""`parkos extract FILE...`: one JSON document per file, a list for several, a clear error for what it cannot read."""

import json
import re

import pytest
from django.core.management import CommandError, call_command

from parkos.directory.models import Organization

ARTICLE = (
    "Park Signs Deal\n\nOn March 5, 2026, the People's Government of Binhu District and Taiyu Semiconductor "
    "Co., Ltd. signed an investment agreement worth 2 billion yuan.\n"
)


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("extract", *args, "--indent", "0", stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_one_file_prints_one_document(tmp_path):
    path = tmp_path / "deal.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    document = json.loads(run(str(path)))
    assert document["source"] == "deal.txt"
    assert document["event"]["date"] == "2026-03-05"
    assert document["agreements"][0]["kind"] == "investment"


@pytest.mark.django_db
def test_several_files_print_a_list_and_the_directory_names_are_known(tmp_path):
    Organization.objects.create(name="泰宇半导体有限公司", name_en="Qingfeng Robotics")
    first, second = tmp_path / "a.txt", tmp_path / "b.html"
    first.write_text(ARTICLE, encoding="utf-8")
    second.write_text("<p>Qingfeng Robotics opened a plant.</p>", encoding="utf-8")
    documents = json.loads(run(str(first), str(second)))
    assert [d["source"] for d in documents] == ["a.txt", "b.html"]
    assert "Qingfeng Robotics" in {o["name"] for o in documents[1]["organizations"]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.txt", None, "missing.txt: no such file"),
        ("scan.pdf", b"%PDF-1.7", "scan.pdf: Files of type .pdf cannot be read"),
        ("broken.docx", b"PK\x03\x04junk", "broken.docx: This is not a Word (.docx) file"),
    ],
)
def test_a_file_it_cannot_read_stops_with_a_clear_message(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(CommandError, match=re.escape(message)):
        run(str(path))


def test_without_a_database_it_says_so_and_still_extracts(tmp_path, monkeypatch):
    from django.db import DatabaseError

    def no_directory():
        raise DatabaseError("no such table: directory_organization")

    monkeypatch.setattr("parkos.intake.management.commands.extract.directory_gazetteer", no_directory)
    path = tmp_path / "deal.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("extract", str(path), stdout=out, stderr=err)
    assert "directory cannot be read" in err.getvalue()
    assert json.loads(out.getvalue())["language"] == "en"
