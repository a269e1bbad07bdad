"""The reminder rules this app adds to core.Rule (data migration 0002): when reminders go out.

Each is a national default that a council overrides with its own Rule row, like every rule."""

PORTAL = "Thiết lập của Cổng HĐND"
D, N = "calendar_days", "count"

# (code, name, value, unit). A "days before" rule set to 0 switches that reminder off.
REMINDER_RULES = [
    ("reminder.first_days_before", "Nhắc hạn lần thứ nhất trước ngày đến hạn", 7, D),
    ("reminder.second_days_before", "Nhắc hạn lần thứ hai trước ngày đến hạn", 3, D),
    ("reminder.last_days_before", "Nhắc hạn lần cuối trước ngày đến hạn", 1, D),
    ("reminder.overdue_repeat_days", "Nhắc lại việc quá hạn sau mỗi", 7, D),
    ("reminder.notify_all_staff", "Nhắc mọi chuyên viên Văn phòng (1) hay chỉ người phụ trách (0)", 0, N),
]
BEFORE_CODES = ("reminder.first_days_before", "reminder.second_days_before", "reminder.last_days_before")
