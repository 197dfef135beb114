"""One run over a folder of every hostile input next to good reports: each good report is checked,
each bad input is exactly one line, nothing hangs, and the exit status says findings (1)."""

from __future__ import annotations

import json
import time
from collections import Counter

from hostile import damaged_pdf, endless, fifo, huge_amount, not_report_pdf, owner_locked, symlink_loop, unix_socket
from mutate import seed_text
from privileges import cli, require_permissions
from workflow_support import cli as cli_in_process

NOT_A_REPORT = "看起来不是部门预决算公开报告（封面没有“××年度部门决算/预算”，也没有任何公开表格）"


def test_readme_in_a_folder_is_skipped_with_one_info_line_and_checked_when_named(tmp_path, fixed_example):
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "clean.txt").write_bytes(fixed_example.read_bytes())
    readme = tmp_path / "reports" / "README.md"
    readme.write_text("# 说明\n\n本目录存放各单位报送的文件。\n", encoding="utf-8")
    walked = cli_in_process("check", str(tmp_path / "reports"), "--format", "json")
    assert walked.exit_code == 0
    [skipped] = json.loads(walked.stdout)
    assert (skipped["rule"], skipped["severity"], skipped["path"]) == ("E.NOT-REPORT", "info", str(readme))
    assert skipped["message"] == f"{NOT_A_REPORT}，已跳过"
    named = cli_in_process("check", str(readme), "--format", "json")
    assert named.exit_code == 1
    [error] = json.loads(named.stdout)
    assert (error["rule"], error["severity"], error["message"]) == ("E.INPUT", "error", NOT_A_REPORT)


def test_a_pack_that_does_not_load_stops_the_run(tmp_path, fixed_example):
    broken = tmp_path / "pack"
    broken.mkdir()
    (broken / "pack.yaml").write_text("id: broken\nkind: 决算\nyears: [2024]\nrule_files: [x.rules]\n", "utf-8")
    (broken / "x.rules").write_text("rule X.A \n", encoding="utf-8")
    result = cli_in_process("check", "--pack", str(broken), str(fixed_example))
    assert result.exit_code == 2
    assert result.stdout == "" and result.stderr.startswith(f"{broken / 'x.rules'}:")


def test_every_hostile_input_and_two_good_reports_in_one_run(tmp_path, fixed_example, make_pdf):
    require_permissions(tmp_path)
    folder = tmp_path / "inbox"
    (folder / "locked").mkdir(parents=True)
    good_text = folder / "good.txt"
    good_text.write_bytes(fixed_example.read_bytes())
    good_pdf = folder / "good.pdf"
    good_pdf.write_bytes(make_pdf(seed_text()).read_bytes())
    owner_locked(good_pdf, folder / "owner-rc4.pdf", "RC4-128")
    utf16 = folder / "utf16.txt"
    utf16.write_bytes(fixed_example.read_text(encoding="utf-8").encode("utf-16-le"))
    huge = folder / "huge.txt"
    huge.write_text(huge_amount(fixed_example.read_text(encoding="utf-8")), encoding="utf-8")
    bad = {
        damaged_pdf(folder / "damaged.pdf"): "error E.INPUT PDF 文件已损坏，无法解析（页面目录无法读取）",
        not_report_pdf(folder / "minutes.pdf"): f"info E.NOT-REPORT {NOT_A_REPORT}，已跳过",
        fifo(folder / "pipe.txt"): "error E.INPUT 不是普通文件（命名管道），无法作为报告读取",
        endless(folder / "zero.txt"): "error E.INPUT 不是普通文件（字符设备），无法作为报告读取",
        symlink_loop(folder / "loop.md"): "error E.INPUT 符号链接形成循环（或层数过多），无法打开",
        folder / "socket.md": "error E.INPUT 不是普通文件（套接字），无法作为报告读取",
        folder / "unreadable.txt": "error E.INPUT 没有读取权限",
        folder / "locked": "error E.INPUT 无法读取目录：没有读取权限",
        folder / "README.md": f"info E.NOT-REPORT {NOT_A_REPORT}，已跳过",
        folder / "big5.txt": f"info E.NOT-REPORT {NOT_A_REPORT}，已跳过",
    }
    sock = unix_socket(folder / "socket.md")
    (folder / "README.md").write_text("# 收件箱\n\n各单位报送的文件放在这里。\n", encoding="utf-8")
    (folder / "big5.txt").write_bytes("會議紀要：討論下一年度的工作安排。".encode("big5"))
    (folder / "locked" / "inside.txt").write_bytes(fixed_example.read_bytes())
    (folder / "unreadable.txt").write_bytes(fixed_example.read_bytes())
    (folder / "locked").chmod(0)
    (folder / "unreadable.txt").chmod(0)
    started = time.monotonic()
    try:
        run = cli("check", "inbox", "--format", "json", cwd=tmp_path, timeout=120)
    finally:
        sock.close()
        (folder / "locked").chmod(0o700)
        (folder / "unreadable.txt").chmod(0o600)
    assert time.monotonic() - started < 120
    assert run.stderr == ""
    assert run.returncode == 1
    found = json.loads(run.stdout)
    per_file = Counter(f["path"] for f in found)
    for path, line in bad.items():
        shown = str(path.relative_to(tmp_path))
        assert per_file[shown] == 1, shown
        [finding] = [f for f in found if f["path"] == shown]
        assert f"{finding['severity']} {finding['rule']} {finding['message']}" == line
    # The good reports are checked: clean as text, the same findings from the PDF, the owner-locked
    # copy of it and the UTF-16 copy of the text; the 27-digit amount is one cell finding.
    assert per_file["inbox/good.txt"] == 0 and per_file["inbox/utf16.txt"] == 0

    def findings(name):
        return [(f["rule"], f["message"]) for f in found if f["path"] == f"inbox/{name}"]

    assert findings("owner-rc4.pdf") == findings("good.pdf")
    assert [rule for rule, _ in findings("huge.txt")] == ["E.CELL"]
    assert {f["path"] for f in found} <= {str(p.relative_to(tmp_path)) for p in bad} | {
        "inbox/good.pdf",
        "inbox/owner-rc4.pdf",
        "inbox/huge.txt",
    }
