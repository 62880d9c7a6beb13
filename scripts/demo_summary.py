"""Print a short human summary of one extracted document (used by `make demo`)."""

from __future__ import annotations

import json
import sys


def main(path: str) -> None:
    doc = json.load(open(path, encoding="utf-8"))
    meta = doc["document"]
    print(f"{path}: {meta['title']} [{meta['doc_type']}] — {meta['issuer']} {meta['date'] or ''}")
    s = doc["summary"]
    if s.get("text"):
        print(f"  declared: {s['text']}")
    for item in doc["items"]:
        status = item["status_text"] or item["status"] or "-"
        print(f"  {item['id']:>8} {item['number']:>4} [{status}] {item['title'][:50]}  measures={len(item['measures'])}")
    for issue in doc["validation"]["issues"]:
        if issue["severity"] != "info":
            print(f"  ! {issue['severity']} {issue['code']}: {issue['message']}")
    print(f"  {len(doc['items'])} items, {len(doc['figures'])} figures, {len(doc['tables'])} tables")


if __name__ == "__main__":
    main(sys.argv[1])
