"""QTI 2.1 packages: every item and the manifest valid against the IMS schemas."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from quiz.domain.banks import BankSpec
from quiz.interchange import EXPORTERS
from quiz.interchange.qti import LEFT_OUT, identifier

from .conftest import BUNDLED, bank, interop_dir

etree = pytest.importorskip("lxml.etree", reason="lxml (test extra) is not installed")
QTI_DIR = interop_dir() / "qti" if interop_dir() else None
pytestmark = pytest.mark.skipif(QTI_DIR is None or not (QTI_DIR / "qtiv2p1" / "imsqti_v2p1.xsd").is_file(),
                                reason="the QTI schemas ../shared/interop/qti are not there (they are read in place "
                                       "beside the repository; set QUIZ_SHARED_DIR to the folder holding interop/)")
NS = {"qti": "http://www.imsglobal.org/xsd/imsqti_v2p1", "cp": "http://www.imsglobal.org/xsd/imscp_v1p1"}


@pytest.fixture(scope="module")
def schemas() -> tuple[object, object]:
    assert QTI_DIR is not None
    return (etree.XMLSchema(etree.parse(str(QTI_DIR / "qtiv2p1" / "imsqti_v2p1.xsd"))),
            etree.XMLSchema(etree.parse(str(QTI_DIR / "imscp_v1p1.xsd"))))


def package(spec: BankSpec) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(EXPORTERS["qti"](spec))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_every_item_and_the_manifest_are_valid(path: Path, schemas: tuple[object, object]) -> None:
    qti_schema, cp_schema = schemas
    spec = bank(path)
    files = package(spec)
    for name, data in files.items():
        schema = cp_schema if name == "imsmanifest.xml" else qti_schema
        document = etree.fromstring(data)
        assert schema.validate(document), f"{name}: {schema.error_log}"  # type: ignore[attr-defined]
    kept = [q for q in spec.questions if q.type not in LEFT_OUT]
    assert sorted(files) == sorted(["imsmanifest.xml", *(f"items/{identifier(q.id)}.xml" for q in kept)])
    manifest = etree.fromstring(files["imsmanifest.xml"])
    hrefs = manifest.xpath("//cp:resource/@href", namespaces=NS)
    assert sorted(hrefs) == sorted(name for name in files if name != "imsmanifest.xml")


def test_each_type_becomes_its_interaction(every_type: BankSpec) -> None:
    files = package(every_type)
    interactions = {}
    for q in every_type.questions:
        name = f"items/{identifier(q.id)}.xml"
        if name in files:
            item = etree.fromstring(files[name])
            interactions[q.type] = sorted({el.tag.split("}")[1] for el in item.iter() if el.tag.endswith("Interaction")})
    assert interactions == {
        "mcq": ["choiceInteraction"], "multi": ["choiceInteraction"], "truefalse": ["choiceInteraction"],
        "short": ["textEntryInteraction"], "number": ["textEntryInteraction"], "date": ["textEntryInteraction"],
        "order": ["orderInteraction"], "match": ["matchInteraction"], "cloze": ["textEntryInteraction"],
    }
    assert "items/ex-card.xml" not in files  # flashcards are left out


def test_the_answer_key_and_the_explanation_are_in_the_item(every_type: BankSpec) -> None:
    item = etree.fromstring(package(every_type)["items/ex-mcq.xml"])
    correct = item.xpath("//qti:correctResponse/qti:value/text()", namespaces=NS)
    choice = item.xpath(f"//qti:simpleChoice[@identifier='{correct[0]}']/text()", namespaces=NS)
    assert choice == ["Konna"]
    assert item.xpath("//qti:modalFeedback/text()", namespaces=NS)[0].startswith("Losing Konna")
    cloze = etree.fromstring(package(every_type)["items/ex-cloze.xml"])
    assert cloze.xpath("//qti:mapEntry/@mapKey", namespaces=NS) == ["Serval", "Sérval", "Barkhane"]


def test_markup_in_bank_text_stays_text(every_type: BankSpec) -> None:
    every_type.questions[0].prompt = "<b>Which</b> & town?"
    item = etree.fromstring(package(every_type)["items/ex-mcq.xml"])
    assert item.xpath("//qti:prompt/text()", namespaces=NS) == ["<b>Which</b> & town?"]


def test_ids_that_are_not_xml_names_get_a_prefix() -> None:
    assert identifier("2013-events") == "q-2013-events" and identifier("ex-mcq") == "ex-mcq"
