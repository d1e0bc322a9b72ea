"""Writes the sample reports used by gongkai-render's tests (fictional agency, consistent numbers).

Run from this directory: python3 make_samples.py
"""
import json

T3R = ["new_received", "carried_over", "granted", "partially_granted", "withheld_state_secret",
       "withheld_prohibited_by_law", "withheld_three_safeties", "withheld_third_party",
       "withheld_internal_affairs", "withheld_process_info", "withheld_enforcement_files",
       "withheld_inquiry", "unable_not_held", "unable_needs_creation", "unable_unclear",
       "not_processed_petition", "not_processed_duplicate", "not_processed_publications",
       "not_processed_mass_repetitive", "not_processed_confirm", "other_overdue_correction",
       "other_unpaid_fee", "other_other", "total_processed", "carried_forward"]
COLS = ["natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org"]


def t3(layout, new, over, outcomes, fwd):
    rows = dict(outcomes)
    rows["new_received"] = new
    rows["carried_over"] = over
    rows["carried_forward"] = fwd
    outrows = [r for r in T3R if r not in ("new_received", "carried_over", "total_processed", "carried_forward")]
    if layout == "trial":
        outrows = [r for r in outrows if not r.startswith("other_")] + ["other_merged"]
    tp = [sum(rows.get(r, [0] * 6)[i] for r in outrows) for i in range(6)]
    rows["total_processed"] = tp
    for i in range(6):
        assert new[i] + over[i] == tp[i] + fwd[i], (i, new[i], over[i], tp[i], fwd[i])
    cells = {}
    for r in ["new_received", "carried_over"] + outrows + ["total_processed", "carried_forward"]:
        v = rows.get(r, [0] * 6)
        for i, c in enumerate(COLS):
            cells[f"t3.{r}.{c}"] = str(v[i])
        cells[f"t3.{r}.total"] = str(sum(v))
    return {"layout": layout, "cells": cells}


def t4(vals):
    cells = {}
    for b, v in zip(["review", "litigation_direct", "litigation_after_review"], vals):
        for c, x in zip(["upheld", "corrected", "other", "pending"], v):
            cells[f"t4.{b}.{c}"] = str(x)
        cells[f"t4.{b}.total"] = str(sum(v))
    return {"layout": "2021", "cells": cells}


SECTIONS = [
    ("overview", "2023年，示例县人民政府认真贯彻落实《中华人民共和国政府信息公开条例》，持续深化政务公开。\n"
     "（一）主动公开。全年通过政府门户网站主动公开政府信息3256条，其中政策文件128件、政策解读46篇。\n"
     "（二）依申请公开。全年新收政府信息公开申请151件，上年结转9件，办结148件，结转下年度继续办理12件。\n"
     "（三）政府信息管理。完善公文公开属性源头认定机制，开展规范性文件清理。\n"
     "（四）政府信息公开平台建设。优化政府门户网站栏目设置，推进政务新媒体规范发展。\n"
     "（五）监督保障。将政务公开纳入年度绩效考核，开展社会评议，全年未发生责任追究情况。"),
    ("proactive", "全县严格落实主动公开基本目录，重点领域信息公开及时准确。"),
    ("applications", "全县依法依规办理政府信息公开申请，均在法定期限内答复。"),
    ("review_litigation", "全年因政府信息公开被申请行政复议5件、提起行政诉讼4件。"),
    ("problems", "（一）存在问题。一是政策解读形式较为单一；二是基层政务公开标准化规范化水平有待提升。\n"
     "（二）改进情况。下一步，将丰富政策解读形式，加强业务培训，推进基层政务公开标准化规范化建设。"),
    ("other", "1.本年度未收取信息处理费。\n"
     "2.落实上级年度政务公开工作要点情况：按要点逐项落实。\n"
     "3.人大代表建议和政协提案办理结果公开情况：共办理人大代表建议86件、政协提案102件，办理结果均已公开。"),
]


def sections(year):
    return [{"id": i, "text": t.replace("2023年", f"{year}年")} for i, t in SECTIONS]


def meta(year):
    return {"agency": "示例县人民政府", "year": year, "title": f"示例县人民政府{year}年政府信息公开工作年度报告",
            "contact": {"address": "示例县人民大道1号", "phone": "0000-12345678", "postcode": "000000"},
            "url": "https://www.example.gov.cn/", "published": f"{year + 1}年1月20日"}


def write(name, obj):
    with open(name, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=2)
        f.write("\n")


t2_2021 = {"layout": "2021", "cells": {
    "t2.regulations.issued": "0", "t2.regulations.repealed": "0", "t2.regulations.in_force": "0",
    "t2.normative_documents.issued": "6", "t2.normative_documents.repealed": "4", "t2.normative_documents.in_force": "57",
    "t2.licensing.decisions": "12846", "t2.penalty.decisions": "2315", "t2.coercion.decisions": "87",
    "t2.fees.amount_wan_yuan": "1532.46"}}

write("sample-2023.json", {
    "format": "gongkai-report", "version": 1, "meta": meta(2023), "sections": sections(2023),
    "tables": {
        "t2": t2_2021,
        "t3": t3("2021", [120, 12, 1, 2, 3, 13], [6, 1, 0, 0, 1, 1], {
            "granted": [70, 8, 1, 1, 2, 8], "partially_granted": [9, 1, 0, 0, 0, 1],
            "withheld_state_secret": [1, 0, 0, 0, 0, 0], "withheld_third_party": [2, 0, 0, 0, 0, 0],
            "withheld_process_info": [1, 0, 0, 0, 0, 0], "unable_not_held": [20, 2, 0, 1, 1, 2],
            "unable_needs_creation": [3, 0, 0, 0, 0, 0], "unable_unclear": [2, 0, 0, 0, 0, 1],
            "not_processed_petition": [5, 0, 0, 0, 0, 0], "not_processed_duplicate": [2, 0, 0, 0, 0, 0],
            "other_overdue_correction": [1, 0, 0, 0, 0, 0], "other_other": [1, 1, 0, 0, 0, 0]},
            [9, 1, 0, 0, 1, 2]),
        "t4": t4([[3, 1, 0, 1], [2, 0, 1, 0], [1, 0, 0, 0]]),
    }})

write("sample-2022.json", {
    "format": "gongkai-report", "version": 1, "meta": meta(2022), "sections": sections(2022),
    "tables": {
        "t2": t2_2021,
        "t3": t3("2021", [98, 10, 0, 1, 3, 10], [4, 0, 0, 0, 0, 0], {
            "granted": [60, 6, 0, 1, 1, 6], "partially_granted": [8, 1, 0, 0, 0, 1],
            "unable_not_held": [21, 2, 0, 0, 1, 2], "not_processed_petition": [4, 0, 0, 0, 0, 0],
            "other_other": [3, 0, 0, 0, 0, 0]}, [6, 1, 0, 0, 1, 1]),
        "t4": t4([[2, 1, 0, 0], [1, 1, 0, 0], [0, 0, 0, 1]]),
    }})

trial_t2 = {}
for r, cols in [("regulations", ["made", "published", "total_public"]),
                ("normative_documents", ["made", "published", "total_public"]),
                ("licensing", ["prev_items", "change", "decisions"]),
                ("other_services", ["prev_items", "change", "decisions"]),
                ("penalty", ["prev_items", "change", "decisions"]),
                ("coercion", ["prev_items", "change", "decisions"]),
                ("fees", ["prev_items", "change"]), ("procurement", ["items", "amount"])]:
    for i, col in enumerate(cols):
        trial_t2[f"t2.{r}.{col}"] = "356.8" if col == "amount" else str([3, -1, 25][i])

write("sample-2020-trial.json", {
    "format": "gongkai-report", "version": 1, "meta": meta(2020), "sections": sections(2020),
    "tables": {
        "t2": {"layout": "trial", "cells": trial_t2},
        "t3": t3("trial", [80, 5, 0, 0, 1, 6], [2, 0, 0, 0, 0, 0], {
            "granted": [50, 3, 0, 0, 1, 4], "unable_not_held": [20, 1, 0, 0, 0, 1],
            "other_merged": [8, 1, 0, 0, 0, 1]}, [4, 0, 0, 0, 0, 0]),
        "t4": t4([[1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]),
    }})
