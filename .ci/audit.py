"""Read pip-audit's JSON report: fail on a known vulnerability, say clearly when nothing could be checked.

Offline (no route to the vulnerability database), pip-audit marks every dependency as
skipped and still exits 0; that is reported as "not checked", not as "no vulnerabilities".
"""

import json
import sys
from pathlib import Path

report_path = Path(sys.argv[1])
if not report_path.is_file() or not report_path.read_text().strip():
    print("pip-audit: NOT CHECKED: pip-audit produced no report (is the vulnerability database reachable?)")
    sys.exit(0)
report = json.loads(report_path.read_text())
deps = report.get("dependencies", [])
audited = [d for d in deps if "skip_reason" not in d]
vulnerable = [d for d in audited if d.get("vulns")]
if vulnerable:
    for d in vulnerable:
        ids = ", ".join(f"{v['id']} (fixed in {', '.join(v.get('fix_versions') or ['?'])})" for v in d["vulns"])
        print(f"pip-audit: {d['name']} {d['version']}: {ids}")
    sys.exit(1)
if deps and not audited:
    print(f"pip-audit: NOT CHECKED: none of the {len(deps)} locked dependencies could be looked up "
          "(offline, or the index has no vulnerability API); run .ci/run with network access to audit")
    sys.exit(0)
print(f"pip-audit: {len(audited)} dependencies audited, no known vulnerabilities"
      + (f" ({len(deps) - len(audited)} could not be looked up)" if len(audited) < len(deps) else ""))
