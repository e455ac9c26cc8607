"""Findings as JUnit XML for CI: a test suite per section, a test case per finding.

FAIL is a failure, UNKNOWN an error (the check could not run), NOT_APPLICABLE and SUPPRESSED
are skipped, PASS passes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from reportgen.evaluate.catalogue import Catalogue
from reportgen.evaluate.findings import Assessment, Status
from reportgen.formats.common import message, printable, timestamp

OUTCOME = {
    Status.FAIL: "failure",
    Status.UNKNOWN: "error",
    Status.NOT_APPLICABLE: "skipped",
    Status.SUPPRESSED: "skipped",
}


def render(assessment: Assessment, catalogue: Catalogue, lang: str) -> str:
    root = ET.Element("testsuites", name=f"reportgen {assessment.account_id}")
    totals = dict.fromkeys(("tests", "failures", "errors", "skipped"), 0)
    for section in dict.fromkeys(f.section for f in assessment.findings):
        findings = [f for f in assessment.findings if f.section is section]
        counts = {
            "tests": len(findings),
            "failures": sum(f.status is Status.FAIL for f in findings),
            "errors": sum(f.status is Status.UNKNOWN for f in findings),
            "skipped": sum(OUTCOME.get(f.status) == "skipped" for f in findings),
        }
        attrib = {"name": section.value, "timestamp": timestamp(assessment.as_of)}
        attrib |= {k: str(v) for k, v in counts.items()}
        suite = ET.SubElement(root, "testsuite", attrib)
        for finding in findings:
            case = ET.SubElement(
                suite, "testcase", classname=finding.check_id, name=printable(finding.resource_id)
            )
            outcome = OUTCOME.get(finding.status)
            if outcome is not None:
                text = printable(message(catalogue, finding, lang))
                node = ET.SubElement(case, outcome, message=text)
                if outcome != "skipped":
                    node.set("type", finding.severity.value)
                    node.text = f"{printable(finding.resource_name)}: {text}"
        for key, value in counts.items():
            totals[key] += value
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
