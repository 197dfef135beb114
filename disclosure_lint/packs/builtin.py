"""Checks built into the tool rather than written in a pack: unreadable input, rules out of time, and
suppression hygiene.

They share the ``E.`` prefix, are documented next to every pack's rules and appear in SARIF rule lists.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..engine.fingerprints import fingerprint
from ..model import Diagnostic, Location


@dataclass(frozen=True)
class BuiltinRule:
    id: str
    title: str
    severity: str
    doc: str


BUILTIN_RULES: dict[str, BuiltinRule] = {
    r.id: r
    for r in (
        BuiltinRule(
            "E.INPUT",
            "报告无法读取或识别",
            "error",
            "文件不存在、没有读取权限、不是普通文件、过大、已损坏、无法解码、不是部门预决算公开报告，"
            "或无法确定适用的规则包。批量检查时其余文件照常检查，退出码为 1。此项不能被配置或注释忽略。",
        ),
        BuiltinRule(
            "E.NOT-REPORT",
            "目录中的文件不是部门预决算公开报告，已跳过",
            "info",
            "检查目录时遇到的文件（如 README.md）既没有“××年度部门决算/预算”封面，也没有任何公开表格，"
            "不是任何一种部门预决算公开报告，因此跳过；直接指定该文件检查时则报告为 E.INPUT。",
        ),
        BuiltinRule(
            "E.RULE-TIMEOUT",
            "规则检查超过时间上限",
            "error",
            "一条规则对本报告的检查用时超过上限（通常是规则中的文字模式过于复杂），已停止该规则，"
            "它对本报告不作判断；其余规则照常检查。请规则包作者简化该规则的模式。",
        ),
        BuiltinRule(
            "E.PACK-FALLBACK",
            "没有该年度的规则包，按相邻年度的规则包检查",
            "info",
            "报告年度没有对应的规则包时，按同类型、同地区最接近年度的规则包检查（优先取较早年度中最近的一个，"
            "没有时取较晚年度中最早的一个），并给出本提示：该年度的表样可能与所用规则包不同，个别结论请结合当年表样核实。"
            "在配置中设置 strict-pack = true 或使用 --strict-pack 时，不作替代，报告无法检查（E.INPUT）。",
        ),
        BuiltinRule(
            "E.CELL",
            "金额栏中的内容无法读取为金额",
            "warning",
            "表格的金额栏出现了无法解读为金额的文字，相关规则不核对该单元格（不把它当作 0）。",
        ),
        BuiltinRule(
            "E.TABLE-UNREAD",
            "表格未能完整读取",
            "warning",
            "表格的数据行、科目代码、合计行或计量单位未能读出（例如金额全为整数、合计行单独印在下一页、"
            "科目代码印成“302 1”），为避免把读取错误当作报告错误，与该表有关的规则不作判断。请人工核对该表，"
            "或提供 XLSX、文本格式的报告。",
        ),
        BuiltinRule(
            "E.ROUNDING",
            "末位尾差",
            "warning",
            "两处金额或比例只相差末位一个单位（如 87.346% 印作 87.34%），超出四舍五入的误差，但常见于截断取数或为使"
            "各项占比合计为 100% 所作的调整，不作为数据错误；请核实。选用、忽略或禁用引发它的规则时，它随之生效。",
        ),
        BuiltinRule(
            "E.UNIT-MISMATCH",
            "计量单位疑似不一致",
            "warning",
            "两处金额相差 100、1000、10000 倍等整数倍，通常是元与万元混用、单位标注有误或表格单位未能正确读取，"
            "而不是金额错误；此时不比较金额，只报告一次单位问题。选用、忽略或禁用引发它的规则时，它随之生效。",
        ),
        BuiltinRule(
            "E.FORMULA",
            "单元格数值无法读取",
            "error",
            "XLSX 中的公式没有保存计算结果，或单元格显示错误值（如 #DIV/0!）。请在 Excel 中打开并重新保存；"
            "读取该单元格的规则不作判断。",
        ),
        BuiltinRule(
            "E.PDF-SCAN",
            "PDF 中有页面没有文本层",
            "error",
            "PDF 的某一页只有图像（扫描件），其中的表格和文字无法读取，需要先进行 OCR 识别；其余页面照常检查。",
        ),
        BuiltinRule(
            "E.PDF-DAMAGED",
            "PDF 文件有结构错误",
            "warning",
            "PDF 文件内部有结构错误（文件可能在生成或传输中损坏），已尽量读取。若有表格或文字未能读出，"
            "依赖它们的检查结果并不完整；请核对或重新导出原文件。",
        ),
        BuiltinRule(
            "E.COMMENT",
            "HTML 注释没有结束",
            "error",
            "文本中的“<!--”没有对应的“-->”，该行其余内容按注释处理，其中的禁用指令不生效。",
        ),
        BuiltinRule(
            "E.BAD-SUPPRESSION",
            "禁用注释格式错误或缺少理由",
            "error",
            "disclosure-lint 禁用注释必须写明规则编号（或前缀）和理由，例如 "
            "<!-- disclosure-lint-disable-next-line N.ITEM-AMOUNT -- 口径说明 -->。格式错误的注释不生效。",
        ),
        BuiltinRule(
            "E.UNUSED-SUPPRESSION",
            "禁用注释或基线条目没有抑制任何问题",
            "warning",
            "注释或基线文件中的条目已不再对应任何问题（问题已修正、规则未启用或编号有误），应当删除；"
            "基线条目可用 --prune-baseline 清理。",
        ),
    )
}


def builtin_diagnostic(code: str, message: str, loc: Location, key: str) -> Diagnostic:
    """A finding of a built-in check; ``key`` (never the line) makes its fingerprint stable and distinct."""
    rule = BUILTIN_RULES[code]
    fp = fingerprint(code, None, None, None, (key,))
    return Diagnostic(code, rule.severity, message, loc, fingerprint=fp, title=rule.title)
