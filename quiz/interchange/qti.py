"""QTI 2.1 content packages: a zip of `imsmanifest.xml` and one assessment item per question.

Mapped to QTI 2.1 interactions: mcq and truefalse (choice, one answer), multi (choice, several),
short (text entry; the accepted forms scored as right, case ignored), number (text entry of a
float, right within the tolerance), date (text entry; the exact date only — QTI has no date
tolerance), order (order interaction), match (match interaction of directed pairs) and cloze
(one text entry per gap, a point per gap). Flashcards are left out: QTI 2.1 has no self-assessed
item (`LEFT_OUT`). Bank text is plain text; XML escaping keeps it so.
"""
from __future__ import annotations

import io
import re
import zipfile
from typing import Any
from xml.etree import ElementTree as ET

from ..domain.banks import BankSpec, QuestionSpec
from ..domain.question_types.base import CLOZE_GAP, in_fixed_order

QTI = "http://www.imsglobal.org/xsd/imsqti_v2p1"
CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
QTI_SCHEMA = "http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
CP_SCHEMA = "http://www.imsglobal.org/xsd/imscp_v1p1.xsd"
TEMPLATES = "http://www.imsglobal.org/question/qti_v2p1/rptemplates/"
LEFT_OUT = {"card": "a flashcard, and QTI 2.1 has no self-assessed item"}
_NCNAME = re.compile(r"^[A-Za-z_][\w.-]*$")


def identifier(question_id: str) -> str:
    """The QTI identifier of a question (an XML name: our ids may start with a digit)."""
    return question_id if _NCNAME.match(question_id) else f"q-{question_id}"


def _el(parent: ET.Element, tag: str, text: str | None = None, **attributes: Any) -> ET.Element:
    element = ET.SubElement(parent, tag, {k.rstrip("_").replace("__", ":"): str(v) for k, v in attributes.items()})
    if text is not None:
        element.text = text
    return element


def _item(question: QuestionSpec) -> ET.Element:
    item = ET.Element("assessmentItem", {
        "xmlns": QTI, "xmlns:xsi": XSI, "xsi:schemaLocation": f"{QTI} {QTI_SCHEMA}",
        "identifier": identifier(question.id), "title": question.prompt[:200],
        "adaptive": "false", "timeDependent": "false",
    })
    return item


def _declare(item: ET.Element, identifier_: str, cardinality: str, base_type: str,
             correct: list[str], mapping: list[str] | None = None, case_sensitive: bool = False) -> None:
    declaration = _el(item, "responseDeclaration", identifier=identifier_, cardinality=cardinality,
                      baseType=base_type)
    correct_response = _el(declaration, "correctResponse")
    for value in correct:
        _el(correct_response, "value", value)
    if mapping is not None:
        mapped = _el(declaration, "mapping", defaultValue="0")
        for key in mapping:
            _el(mapped, "mapEntry", mapKey=key, mappedValue="1", caseSensitive=str(case_sensitive).lower())


def _outcome(item: ET.Element, max_score: int = 1) -> None:
    declaration = _el(item, "outcomeDeclaration", identifier="SCORE", cardinality="single", baseType="float")
    default = _el(declaration, "defaultValue")
    _el(default, "value", "0")
    if max_score != 1:
        declaration.set("normalMaximum", str(max_score))


def _body(item: ET.Element) -> ET.Element:
    return _el(item, "itemBody")


def _prompt(interaction: ET.Element, text: str) -> None:
    _el(interaction, "prompt", text)


def _choices(parent: ET.Element, tag: str, texts: list[str], prefix: str) -> dict[str, str]:
    """Choices in a fixed order that gives nothing away; text -> choice identifier."""
    ids: dict[str, str] = {}
    for number, text in enumerate(in_fixed_order(texts), start=1):
        ids[text] = f"{prefix}{number}"
        _el(parent, tag, text, identifier=ids[text])
    return ids


def _score(parent: ET.Element, value: str | None = None) -> ET.Element:
    """setOutcomeValue SCORE (to a float when `value` is given; the caller adds the expression otherwise)."""
    rule = _el(parent, "setOutcomeValue", identifier="SCORE")
    if value is not None:
        _el(rule, "baseValue", value, baseType="float")
    return rule


def _rules(item: ET.Element, rule: str, tolerance: float = 0) -> ET.Element:
    """Response processing spelt out (as QTI's match_correct and map_response templates are), so
    that the explanation's feedback can be set after it: 'match' (right or wrong), 'equal'
    (a number within the tolerance) or 'map' (the mapped score of the response)."""
    processing = _el(item, "responseProcessing")
    condition = _el(processing, "responseCondition")
    when = _el(condition, "responseIf")
    if rule == "map":
        empty = _el(when, "isNull")
        _el(empty, "variable", identifier="RESPONSE")
        _score(when, "0")
        otherwise = _el(condition, "responseElse")
        mapped = _score(otherwise)
        _el(mapped, "mapResponse", identifier="RESPONSE")
        return processing
    if rule == "equal":
        test = _el(when, "equal", toleranceMode="absolute", tolerance=f"{tolerance:g} {tolerance:g}")
    else:
        test = _el(when, "match")
    _el(test, "variable", identifier="RESPONSE")
    _el(test, "correct", identifier="RESPONSE")
    _score(when, "1")
    _score(_el(condition, "responseElse"), "0")
    return processing


def _choice_item(question: QuestionSpec, answers: list[str], options: list[str], single: bool) -> ET.Element:
    item = _item(question)
    ids = {text: f"C{number}" for number, text in enumerate(in_fixed_order(options), start=1)}
    _declare(item, "RESPONSE", "single" if single else "multiple", "identifier", [ids[a] for a in answers])
    _outcome(item)
    interaction = _el(_body(item), "choiceInteraction", responseIdentifier="RESPONSE", shuffle="true",
                      maxChoices="1" if single else "0")
    _prompt(interaction, question.prompt)
    _choices(interaction, "simpleChoice", options, "C")
    _rules(item, "match")
    return item


def _text_entry(question: QuestionSpec, base_type: str, correct: str, accepted: list[str] | None,
                tolerance: float = 0) -> ET.Element:
    item = _item(question)
    _declare(item, "RESPONSE", "single", base_type, [correct],
             mapping=[correct, *accepted] if accepted is not None else None)
    _outcome(item)
    paragraph = _el(_body(item), "p", question.prompt + " ")
    _el(paragraph, "textEntryInteraction", responseIdentifier="RESPONSE", expectedLength="20")
    if accepted is not None:
        _rules(item, "map")
    else:
        _rules(item, "equal" if base_type == "float" else "match", tolerance)
    return item


def _order_item(question: QuestionSpec) -> ET.Element:
    item = _item(question)
    texts = [i["text"] for i in question.data["items"]]
    ids = {text: f"I{n}" for n, text in enumerate(in_fixed_order(texts), start=1)}
    _declare(item, "RESPONSE", "ordered", "identifier", [ids[t] for t in texts])
    _outcome(item)
    interaction = _el(_body(item), "orderInteraction", responseIdentifier="RESPONSE", shuffle="true")
    _prompt(interaction, question.prompt)
    _choices(interaction, "simpleChoice", texts, "I")
    _rules(item, "match")
    return item


def _match_item(question: QuestionSpec) -> ET.Element:
    item = _item(question)
    pairs = question.data["pairs"]
    lefts = [p["left"] for p in pairs]
    rights = [p["right"] for p in pairs] + question.data["distractors"]
    left_ids = {t: f"L{n}" for n, t in enumerate(in_fixed_order(lefts), start=1)}
    right_ids = {t: f"R{n}" for n, t in enumerate(in_fixed_order(rights), start=1)}
    _declare(item, "RESPONSE", "multiple", "directedPair",
             [f"{left_ids[p['left']]} {right_ids[p['right']]}" for p in pairs])
    _outcome(item)
    interaction = _el(_body(item), "matchInteraction", responseIdentifier="RESPONSE", shuffle="true",
                      maxAssociations=str(len(pairs)))
    _prompt(interaction, question.prompt)
    for ids in (left_ids, right_ids):
        match_set = _el(interaction, "simpleMatchSet")
        for text, choice_id in ids.items():
            _el(match_set, "simpleAssociableChoice", text, identifier=choice_id, matchMax="1")
    _rules(item, "match")
    return item


def _cloze_item(question: QuestionSpec) -> ET.Element:
    item = _item(question)
    gaps = question.data["gaps"]
    for number, forms in enumerate(gaps, start=1):
        _declare(item, f"RESPONSE_{number}", "single", "string", [forms[0]], mapping=list(dict.fromkeys(forms)))
    _outcome(item, max_score=len(gaps))
    paragraph = _el(_body(item), "p")
    last = 0
    previous: ET.Element | None = None
    for number, match in enumerate(CLOZE_GAP.finditer(question.prompt), start=1):
        before = question.prompt[last:match.start()]
        if previous is None:
            paragraph.text = (paragraph.text or "") + before
        else:
            previous.tail = (previous.tail or "") + before
        previous = _el(paragraph, "textEntryInteraction", responseIdentifier=f"RESPONSE_{number}", expectedLength="15")
        last = match.end()
    if previous is not None:
        previous.tail = question.prompt[last:]
    processing = _el(item, "responseProcessing")
    add = _el(_score(processing), "sum")
    for number in range(1, len(gaps) + 1):
        _el(add, "mapResponse", identifier=f"RESPONSE_{number}")
    return item


def item_xml(question: QuestionSpec) -> bytes | None:
    """One question as a QTI 2.1 assessment item, or None for a type QTI 2.1 cannot hold."""
    data = question.data
    if question.type == "mcq":
        item = _choice_item(question, [data["answer"]], [data["answer"], *data["distractors"]], single=True)
    elif question.type == "truefalse":
        item = _choice_item(question, ["True" if data["answer"] else "False"], ["True", "False"], single=True)
    elif question.type == "multi":
        item = _choice_item(question, data["answers"], [*data["answers"], *data["distractors"]], single=False)
    elif question.type == "short":
        item = _text_entry(question, "string", data["answer"], list(dict.fromkeys(data["accept"])))
    elif question.type == "number":
        item = _text_entry(question, "float", f"{data['answer']:g}", None, data["tolerance"])
    elif question.type == "date":
        item = _text_entry(question, "string", data["answer"], None)
    elif question.type == "order":
        item = _order_item(question)
    elif question.type == "match":
        item = _match_item(question)
    elif question.type == "cloze":
        item = _cloze_item(question)
    else:
        return None
    _feedback(item, question)
    ET.indent(item)
    return ET.tostring(item, encoding="utf-8", xml_declaration=True)


def _feedback(item: ET.Element, question: QuestionSpec) -> None:
    """The explanation, shown once the item is answered (QTI's modal feedback on COMPLETED)."""
    declaration = _el(item, "outcomeDeclaration", identifier="FEEDBACK", cardinality="single", baseType="identifier")
    # outcome declarations come before the item body: move it next to SCORE
    item.remove(declaration)
    position = max(i for i, child in enumerate(item) if child.tag == "outcomeDeclaration") + 1
    item.insert(position, declaration)
    processing = item.find("responseProcessing")
    assert processing is not None
    rule = _el(processing, "setOutcomeValue", identifier="FEEDBACK")
    _el(rule, "baseValue", "EXPLANATION", baseType="identifier")
    modal = _el(item, "modalFeedback", outcomeIdentifier="FEEDBACK", showHide="show", identifier="EXPLANATION",
                title="Explanation")
    modal.text = question.explanation


def left_out(spec: BankSpec) -> list[QuestionSpec]:
    """The questions a QTI export leaves out (types QTI 2.1 has not)."""
    return [q for q in spec.questions if q.type in LEFT_OUT]


def manifest_xml(spec: BankSpec, hrefs: list[tuple[str, str]]) -> bytes:
    """imsmanifest.xml listing one item resource per (identifier, file)."""
    manifest = ET.Element("manifest", {
        "xmlns": CP, "xmlns:xsi": XSI, "xsi:schemaLocation": f"{CP} {CP_SCHEMA}",
        "identifier": f"MANIFEST-{identifier(spec.id)}",
    })
    metadata = _el(manifest, "metadata")
    _el(metadata, "schema", "QTIv2.1 Package")
    _el(metadata, "schemaversion", "1.0.0")
    _el(manifest, "organizations")
    resources = _el(manifest, "resources")
    for item_id, href in hrefs:
        resource = _el(resources, "resource", identifier=f"RES-{item_id}", type="imsqti_item_xmlv2p1", href=href)
        _el(resource, "file", href=href)
    ET.indent(manifest)
    return ET.tostring(manifest, encoding="utf-8", xml_declaration=True)


def export_bank(spec: BankSpec) -> bytes:
    """The bank as a QTI 2.1 content package (zip); flashcards are left out."""
    buffer = io.BytesIO()
    hrefs: list[tuple[str, str]] = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for question in spec.questions:
            xml = item_xml(question)
            if xml is None:
                continue
            item_id = identifier(question.id)
            href = f"items/{item_id}.xml"
            archive.writestr(href, xml)
            hrefs.append((item_id, href))
        archive.writestr("imsmanifest.xml", manifest_xml(spec, hrefs))
    return buffer.getvalue()
