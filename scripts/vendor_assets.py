"""Copy the front-end files Hwallyu serves from node_modules into hwallyu/static/vendor.

Everything is served locally (city intranets have no internet).  Only the files the pages
use are copied: KRDS's component CSS (with its tokens and relative icon paths), its UI
script and images, the Pretendard GOV subset font, htmx and Chart.js.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
OUT = ROOT / "hwallyu" / "static" / "vendor"

# (source under node_modules, destination under static/vendor); directories are copied whole.
FILES = [
    ("krds-uiux/resources/css/component/output.css", "krds/resources/css/component/output.css"),
    ("krds-uiux/resources/css/token/krds_tokens.css", "krds/resources/css/token/krds_tokens.css"),
    ("krds-uiux/resources/js/component/ui-script.js", "krds/resources/js/component/ui-script.js"),
    ("krds-uiux/resources/img", "krds/resources/img"),
    ("pretendard-gov/dist/web/static/pretendard-gov-subset.css", "pretendard-gov/pretendard-gov-subset.css"),
    ("pretendard-gov/dist/web/static/woff2-subset", "pretendard-gov/woff2-subset"),
    ("pretendard-gov/dist/web/static/woff-subset", "pretendard-gov/woff-subset"),
    ("pretendard-gov/dist/LICENSE.txt", "pretendard-gov/LICENSE.txt"),
    ("htmx.org/dist/htmx.min.js", "htmx/htmx.min.js"),
    ("chart.js/dist/chart.umd.min.js", "chartjs/chart.umd.min.js"),
]


def main() -> int:
    missing = [src for src, _ in FILES if not (NODE / src).exists() and not src.endswith("LICENSE.txt")]
    if missing:
        print("node_modules에 다음 파일이 없습니다 (npm ci를 먼저 실행하세요):", *missing, sep="\n  ")
        return 1
    for src, dest in FILES:
        source, target = NODE / src, OUT / dest
        if not source.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True)
        else:
            shutil.copy2(source, target)
    print(f"front-end assets copied to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
