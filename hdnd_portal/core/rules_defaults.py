"""The rules shipped as initial data (DOMAIN_RULES.md), each with its citation and status.
Loaded by migration core.0002 and by `manage.py load_rules`; administrators edit them in the portal.

(code, name, value, unit, citation, status, effective_from[, {"law": …, "effective_to": …}])

A row stays valid for the dates it covers: when a law is replaced, its row gets `effective_to`
(the last day) and the new law's row starts the next day, so a record is judged by the rule in
force on its own date. Numbers that could not be checked against the legal text are marked
"unconfirmed", never "law"."""

LTCCQĐP_2015 = "Luật Tổ chức chính quyền địa phương 2015"
LTCCQĐP_2015_SOURCE = {"law": "Luật Tổ chức chính quyền địa phương số 77/2015/QH13 (hiệu lực 01/01/2016)",
                       "effective_to": "2025-06-30"}
LTCCQĐP_2025 = "Luật Tổ chức chính quyền địa phương 2025 (số 72/2025/QH15 — số hiệu chưa đối chiếu)"
LTCCQĐP_2025_SOURCE = {"law": "Luật Tổ chức chính quyền địa phương 2025, số 72/2025/QH15 (số hiệu chưa đối chiếu), "
                              "hiệu lực 01/07/2025"}
NQLT_TXCT_2025 = "Nghị quyết liên tịch về tiếp xúc cử tri 2025 (số 72/2025/NQLT — số hiệu chưa đối chiếu)"
NQLT_TXCT_2025_SOURCE = {"law": "Nghị quyết liên tịch về tiếp xúc cử tri 2025, thay thế Nghị quyết liên tịch "
                                "525/2012/UBTVQH13-ĐCTUBTWMTTQVN; hiệu lực 01/07/2025"}
LGS_2015 = "Luật Hoạt động giám sát của Quốc hội và Hội đồng nhân dân 2015"
LGS_2015_SOURCE = {"law": "Luật Hoạt động giám sát của Quốc hội và Hội đồng nhân dân số 87/2015/QH13 "
                          "(hiệu lực 01/07/2016)"}
LGS_2025 = "Luật Hoạt động giám sát của Quốc hội và Hội đồng nhân dân 2025 (hiệu lực 01/3/2026)"
NQ85_2014 = "Nghị quyết 85/2014/QH13 về lấy phiếu tín nhiệm, bỏ phiếu tín nhiệm"
NQ85_2014_SOURCE = {"law": "Nghị quyết 85/2014/QH13 (được thay thế bởi Nghị quyết 96/2023/QH15)",
                    "effective_to": "2023-06-30"}
NQ96_2023 = "Nghị quyết 96/2023/QH15 về lấy phiếu tín nhiệm, bỏ phiếu tín nhiệm"
NQ96_2023_SOURCE = {"law": "Nghị quyết 96/2023/QH15 (thay thế Nghị quyết 85/2014/QH13); ngày hiệu lực chưa đối "
                           "chiếu — các HĐND đã áp dụng cho đợt lấy phiếu cuối năm 2023"}
LKN = "Luật Khiếu nại 2011"
LTC = "Luật Tố cáo 2018"
LTCD = "Luật Tiếp công dân 2013"

D, WD, M, F, N = "calendar_days", "working_days", "months", "fraction", "count"
LAW, PRACTICE, UNCONFIRMED = "law", "practice", "unconfirmed"

DEFAULT_RULES = [
    # Sessions and resolutions
    ("session.first_after_election_days", "Kỳ họp thứ nhất chậm nhất sau ngày bầu cử", 45, D,
     f"{LTCCQĐP_2015}, Điều 80 khoản 1", LAW, "2016-01-01", LTCCQĐP_2015_SOURCE),
    ("session.first_after_election_days", "Kỳ họp thứ nhất chậm nhất sau ngày bầu cử", 45, D,
     f"{LTCCQĐP_2025} (điều khoản chưa đối chiếu)", UNCONFIRMED, "2025-07-01", LTCCQĐP_2025_SOURCE),
    ("session.regular_per_year", "Số kỳ họp thường lệ tối thiểu mỗi năm", 2, N,
     f"{LTCCQĐP_2015}, Điều 78", LAW, "2016-01-01", LTCCQĐP_2015_SOURCE),
    ("session.regular_per_year", "Số kỳ họp thường lệ tối thiểu mỗi năm", 2, N,
     f"{LTCCQĐP_2025} (điều khoản chưa đối chiếu)", UNCONFIRMED, "2025-07-01", LTCCQĐP_2025_SOURCE),
    ("session.quorum_fraction", "Kỳ họp được tiến hành khi có ít nhất hai phần ba tổng số đại biểu tham gia", "0.6667", F,
     f"{LTCCQĐP_2015}, Điều 78", LAW, "2016-01-01", LTCCQĐP_2015_SOURCE),
    ("session.quorum_fraction", "Kỳ họp được tiến hành khi có ít nhất hai phần ba tổng số đại biểu tham gia", "0.6667", F,
     f"{LTCCQĐP_2025} (điều khoản chưa đối chiếu)", UNCONFIRMED, "2025-07-01", LTCCQĐP_2025_SOURCE),
    ("session.documents_days_before", "Gửi tài liệu kỳ họp đến đại biểu trước ngày khai mạc", 7, D,
     f"{LTCCQĐP_2015}, Điều 80 (thực tiễn địa phương)", UNCONFIRMED, "2016-01-01"),
    ("verification.days_before_session", "Ban HĐND thẩm tra báo cáo, đề án chậm nhất trước kỳ họp", 10, D,
     f"{LTCCQĐP_2015}, Điều 80", LAW, "2016-01-01"),
    ("resolution.pass_fraction", "Nghị quyết được thông qua khi quá nửa tổng số đại biểu tán thành", "0.5", F,
     f"{LTCCQĐP_2015}, Điều 84", LAW, "2016-01-01"),
    ("resolution.dismiss_fraction", "Bãi nhiệm đại biểu: ít nhất hai phần ba tổng số đại biểu tán thành", "0.6667", F,
     f"{LTCCQĐP_2015}, Điều 84", LAW, "2016-01-01"),
    ("numbering.shared_series", "Các loại văn bản dùng chung một dãy số (1 = có, 0 = riêng từng loại)", 0, N,
     "Nghị định 30/2020/NĐ-CP về công tác văn thư (thực tiễn: dãy số riêng theo loại)", PRACTICE, "2020-03-05"),
    # Oversight, questioning, explanation
    ("question.written_answer_days", "Trả lời chất vấn bằng văn bản trong thời hạn", 20, D,
     f"{LGS_2015}, Điều 60", LAW, "2016-07-01", LGS_2015_SOURCE),
    ("question.report_before_session_days", "Báo cáo thực hiện nghị quyết chất vấn, lời hứa trước kỳ họp tiếp theo", 10, D,
     f"{LGS_2015}, Điều 66", LAW, "2016-07-01"),
    ("oversight.plan_notice_days", "Đoàn giám sát gửi kế hoạch trước khi làm việc", 15, D,
     f"{LGS_2015}, Điều 67", LAW, "2016-07-01"),
    ("oversight.programme_notice_days", "Đoàn giám sát gửi chương trình, nội dung trước khi làm việc", 10, D,
     f"{LGS_2015}, Điều 67", LAW, "2016-07-01"),
    ("oversight.report_days_standing", "Đoàn giám sát của Thường trực HĐND báo cáo kết quả trong", 15, D,
     f"{LGS_2015}, Điều 70", LAW, "2016-07-01"),
    ("oversight.report_days_committee", "Đoàn giám sát của Ban HĐND báo cáo kết quả trong", 10, D,
     f"{LGS_2015}, Điều 74", LAW, "2016-07-01"),
    ("explanation.notice_days", "Thông báo phiên giải trình trước ít nhất", 10, D,
     f"{LGS_2015}, Điều 72", LAW, "2016-07-01"),
    ("recommendation.followup_days", "Thời hạn báo cáo thực hiện kiến nghị giám sát", 15, D,
     f"{LGS_2025} (mức báo chí nêu, chưa đối chiếu văn bản)", UNCONFIRMED, "2026-03-01"),
    ("recommendation.followup_days_complex", "Thời hạn báo cáo thực hiện kiến nghị giám sát phức tạp", 30, D,
     f"{LGS_2025} (mức báo chí nêu, chưa đối chiếu văn bản)", UNCONFIRMED, "2026-03-01"),
    # Confidence votes
    # NQ85/2014 (until NQ96/2023 replaced it): two thirds "low" led to a formal vote of confidence.
    ("confidence.low_resign_fraction",
     "Quá nửa tổng số đại biểu đánh giá tín nhiệm thấp: người được lấy phiếu có thể xin từ chức", "0.5", F,
     f"{NQ85_2014}, Điều 12 (điều khoản chưa đối chiếu)", UNCONFIRMED, "2015-01-01", NQ85_2014_SOURCE),
    ("confidence.low_formal_vote_fraction",
     "Từ hai phần ba tổng số đại biểu trở lên đánh giá tín nhiệm thấp: Thường trực HĐND trình HĐND bỏ phiếu "
     "tín nhiệm", "0.6667", F, f"{NQ85_2014}, Điều 12 (điều khoản chưa đối chiếu)", UNCONFIRMED, "2015-01-01",
     NQ85_2014_SOURCE),
    # NQ96/2023: more than half "low" → may resign, otherwise a formal vote; two thirds → dismissal.
    ("confidence.low_resign_fraction",
     "Quá nửa tổng số đại biểu đánh giá tín nhiệm thấp: có thể xin từ chức; nếu không xin từ chức, Thường trực "
     "HĐND trình HĐND bỏ phiếu tín nhiệm", "0.5", F, f"{NQ96_2023}, Điều 12", LAW, "2023-07-01", NQ96_2023_SOURCE),
    ("confidence.low_dismissal_fraction",
     "Từ hai phần ba tổng số đại biểu trở lên đánh giá tín nhiệm thấp: cơ quan, người đã giới thiệu trình HĐND "
     "miễn nhiệm", "0.6667", F, f"{NQ96_2023}, Điều 12 (hệ quả hai phần ba: chưa đối chiếu văn bản cuối cùng)",
     UNCONFIRMED, "2023-07-01", NQ96_2023_SOURCE),
    ("confidence.term_year", "Lấy phiếu tín nhiệm định kỳ một lần trong nhiệm kỳ, tại kỳ họp thường lệ cuối năm "
     "thứ (của nhiệm kỳ)", 3, N, f"{NQ96_2023}, Điều 4 (điều khoản chưa đối chiếu)", LAW, "2023-07-01", NQ96_2023_SOURCE),
    ("confidence.council_level_depth", "HĐND lấy phiếu tín nhiệm: đến cấp (1 = tỉnh, 2 = huyện, 3 = xã); HĐND "
     "cấp xã không lấy phiếu", 2, N, f"{NQ96_2023}, Điều 2 khoản 2", LAW, "2023-07-01", NQ96_2023_SOURCE),
    # Voter meetings and petitions
    ("voter_meeting.outside_decision_wd", "Quyết định về tiếp xúc cử tri ngoài đơn vị bầu cử trong", 5, WD,
     f"{NQLT_TXCT_2025}, Điều 32", UNCONFIRMED, "2025-07-01", NQLT_TXCT_2025_SOURCE),
    ("voter_meeting.outside_notice_wd", "Thông báo tiếp xúc cử tri ngoài đơn vị bầu cử trước", 3, WD,
     f"{NQLT_TXCT_2025}, Điều 32", UNCONFIRMED, "2025-07-01", NQLT_TXCT_2025_SOURCE),
    ("petition.response_wd", "Thời hạn trả lời kiến nghị cử tri gửi đến HĐND (thiết lập theo từng HĐND)", 30, WD,
     "Chưa có quy định chung; thiết lập theo quy chế của từng HĐND", UNCONFIRMED, "2016-01-01"),
    ("petition.national_assembly_days", "Thời hạn trả lời kiến nghị cử tri do Quốc hội chuyển đến", 60, D,
     "Nghị quyết liên tịch 525/2012/UBTVQH13-ĐCTUBTWMTTQVN (sửa đổi 2016)", LAW, "2016-07-01",
     {"law": "Nghị quyết liên tịch 525/2012/UBTVQH13-ĐCTUBTWMTTQVN", "effective_to": "2025-06-30"}),
    ("petition.national_assembly_days", "Thời hạn trả lời kiến nghị cử tri do Quốc hội chuyển đến", 60, D,
     f"{NQLT_TXCT_2025} (điều khoản chưa đối chiếu)", UNCONFIRMED, "2025-07-01", NQLT_TXCT_2025_SOURCE),
    # Citizen reception and letters
    ("reception.sessions_per_month", "Số buổi tiếp công dân của đại biểu mỗi tháng", 1, N,
     f"{LTCD}, Điều 22; thực tiễn Hà Nội: một buổi mỗi tháng", PRACTICE, "2014-07-01"),
    ("reception.answer_wd", "Trả lời người đến tiếp công dân (thụ lý, gia hạn, từ chối, chuyển)", 10, WD,
     f"{LTCD}, Điều 28", LAW, "2014-07-01"),
    ("reception.group_representatives_small", "Nhóm 5–10 người cử đại diện", 2, N, f"{LTCD}, Điều 30", LAW, "2014-07-01"),
    ("reception.group_representatives_large", "Nhóm trên 10 người cử tối đa", 5, N, f"{LTCD}, Điều 30", LAW, "2014-07-01"),
    ("letter.multi_signer_min", "Đơn có từ số người này ký tên trở lên là đơn nhiều người đứng tên", 5, N,
     "Thông tư 07/2014/TT-TTCP (thực tiễn)", PRACTICE, "2014-12-01",
     {"law": "Thông tư 07/2014/TT-TTCP, được thay thế bởi Thông tư 05/2021/TT-TTCP", "effective_to": "2021-11-15"}),
    ("letter.multi_signer_min", "Đơn có từ số người này ký tên trở lên là đơn nhiều người đứng tên", 5, N,
     "Thông tư 05/2021/TT-TTCP (thực tiễn; ngày hiệu lực chưa đối chiếu)", PRACTICE, "2021-11-16",
     {"law": "Thông tư 05/2021/TT-TTCP quy định quy trình tiếp công dân, xử lý đơn (thay thế Thông tư 07/2014/TT-TTCP)"}),
    ("letter.deputy_forward_report_wd", "Cơ quan báo cáo kết quả giải quyết đơn do đại biểu chuyển đến sau khi giải quyết", 7, WD,
     f"{LTCCQĐP_2015}; Luật Tiếp công dân sửa đổi 2025", LAW, "2016-01-01"),
    ("letter.deputy_inform_citizen_wd", "Đại biểu thông báo kết quả cho công dân", 5, WD,
     f"{LTCD}, sửa đổi 2025", LAW, "2016-01-01"),
    ("letter.denunciation_forward_report_days", "Cơ quan báo cáo kết quả giải quyết tố cáo do đại biểu chuyển đến", 20, D,
     LTC, LAW, "2019-01-01"),
    ("complaint.limitation_days", "Thời hiệu khiếu nại", 90, D, f"{LKN}, Điều 9", LAW, "2012-07-01"),
    ("complaint.accept_days", "Thụ lý khiếu nại trong", 10, D, f"{LKN}, Điều 27", LAW, "2012-07-01"),
    ("complaint.round1_days", "Giải quyết khiếu nại lần đầu", 30, D, f"{LKN}, Điều 28", LAW, "2012-07-01"),
    ("complaint.round1_complex_days", "Giải quyết khiếu nại lần đầu — vụ việc phức tạp", 45, D, f"{LKN}, Điều 28", LAW, "2012-07-01"),
    ("complaint.round1_remote_days", "Giải quyết khiếu nại lần đầu — vùng sâu, vùng xa", 45, D, f"{LKN}, Điều 28", LAW, "2012-07-01"),
    ("complaint.round1_remote_complex_days", "Giải quyết khiếu nại lần đầu — vùng sâu, vùng xa, phức tạp", 60, D,
     f"{LKN}, Điều 28", LAW, "2012-07-01"),
    ("complaint.round2_days", "Giải quyết khiếu nại lần hai", 45, D, f"{LKN}, Điều 37", LAW, "2012-07-01"),
    ("complaint.round2_complex_days", "Giải quyết khiếu nại lần hai — vụ việc phức tạp", 60, D, f"{LKN}, Điều 37", LAW, "2012-07-01"),
    ("complaint.round2_remote_days", "Giải quyết khiếu nại lần hai — vùng sâu, vùng xa", 60, D, f"{LKN}, Điều 37", LAW, "2012-07-01"),
    ("complaint.round2_remote_complex_days", "Giải quyết khiếu nại lần hai — vùng sâu, vùng xa, phức tạp", 70, D,
     f"{LKN}, Điều 37", LAW, "2012-07-01"),
    ("denunciation.initial_wd", "Vào sổ, phân loại, xử lý ban đầu đơn tố cáo", 7, WD, f"{LTC}, Điều 24", LAW, "2019-01-01"),
    ("denunciation.initial_max_wd", "Xử lý ban đầu đơn tố cáo — trường hợp phải xác minh (tối đa)", 10, WD,
     f"{LTC}, Điều 24", LAW, "2019-01-01"),
    ("denunciation.forward_wd", "Chuyển đơn tố cáo không thuộc thẩm quyền trong", 5, WD, f"{LTC}, Điều 24", LAW, "2019-01-01"),
    ("denunciation.resolve_days", "Giải quyết tố cáo", 30, D, f"{LTC}, Điều 30", LAW, "2019-01-01"),
    ("denunciation.extension_days", "Mỗi lần gia hạn giải quyết tố cáo", 30, D, f"{LTC}, Điều 30", LAW, "2019-01-01"),
    ("denunciation.max_extensions", "Số lần gia hạn tối đa (vụ việc đặc biệt phức tạp)", 2, N, f"{LTC}, Điều 30", LAW, "2019-01-01"),
    ("denunciation.extensions_complex", "Số lần gia hạn giải quyết tố cáo — vụ việc phức tạp", 1, N, f"{LTC}, Điều 30",
     LAW, "2019-01-01"),
    ("complaint.round2_window_days", "Thời hạn khiếu nại lần hai kể từ khi có quyết định giải quyết lần đầu", 30, D,
     f"{LKN}, Điều 33", LAW, "2012-07-01"),
    ("complaint.round2_window_remote_days", "Thời hạn khiếu nại lần hai — vùng sâu, vùng xa", 45, D,
     f"{LKN}, Điều 33", LAW, "2012-07-01"),
    # Deadline display thresholds
    ("deadline.due_soon_days", "Cảnh báo sắp đến hạn trước", 3, D, "Thiết lập của Cổng HĐND", PRACTICE, "2000-01-01"),
    ("deadline.long_overdue_days", "Quá hạn kéo dài sau", 30, D, "Thiết lập của Cổng HĐND", PRACTICE, "2000-01-01"),
]
