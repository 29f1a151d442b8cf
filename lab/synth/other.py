"""Synthetic "other" documents: letters, notices, minutes, recipes, manuals...

They carry dates, names and the odd number like the typed documents do, so
the router learns what the types *are* rather than "has digits".
"""

from __future__ import annotations

from collections.abc import Callable

from .common import Gen


def _letter(g: Gen) -> list[str]:
    if g.zh:
        return [f"尊敬的{g.person()}：", g.pick(("您好！", "")),
                g.pick(("感谢您一直以来对我们工作的支持。", "现将有关事项通知如下。",
                        "我们很高兴地通知您，您的申请已获批准。")),
                g.pick(("请于下周一前回复确认。", "如有任何疑问，请随时与我们联系。",
                        "我们期待与您的进一步合作。")), "此致", "敬礼", g.company("firm"),
                g.date()]
    return [g.company("firm"), *g.address(), g.date(), f"Dear {g.person()},",
            g.pick(("Thank you for your letter of last week.", "We are pleased to confirm your "
                    "place on the course.", "I am writing to let you know that your membership "
                    "has been renewed.", "Following our conversation, here is a short summary.")),
            g.pick(("Please let me know if anything is unclear.", "We look forward to seeing you "
                    "soon.", "Your reference number is " + g.num(6) + ".")),
            g.pick(("Yours sincerely,", "Kind regards,", "Best wishes,")), g.person()]


def _minutes(g: Gen) -> list[str]:
    if g.zh:
        return [g.pick(("会议纪要", "周例会记录", "项目会议纪要")), f"时间：{g.date()} {g.time()}",
                f"地点：{g.pick(('三楼会议室', '线上会议', '大会议室'))}",
                f"参会人员：{g.person()}、{g.person()}、{g.person()}",
                f"一、{g.pick(('项目进度汇报', '下季度工作安排', '预算讨论'))}",
                f"二、{g.pick(('确定下次会议时间', '各部门协调事项', '人员安排'))}",
                f"记录人：{g.person()}"]
    return [g.pick(("Meeting minutes", "MINUTES OF THE COMMITTEE MEETING", "Team sync notes")),
            f"Date: {g.date()}", f"Attendees: {g.person()}, {g.person()}, {g.person()}",
            f"Apologies: {g.person()}", "1. " + g.pick(("Review of last quarter", "Budget update",
                                                         "Website relaunch")),
            "2. " + g.pick(("Volunteer rota", "Any other business", "Office move timeline")),
            f"Action: {g.person()} to circulate the draft by Friday.",
            f"Next meeting: {g.date(g.day(ahead=30))}"]


def _recipe(g: Gen) -> list[str]:
    if g.zh:
        return [g.pick(("番茄炒蛋", "红烧肉", "清蒸鱼", "酸辣汤")), "食材：",
                g.pick(("鸡蛋3个", "五花肉500克", "鲈鱼1条")),
                g.pick(("番茄2个", "生抽2勺", "姜丝适量")),
                "做法：", "1. " + g.pick(("将食材洗净切块。", "锅中放油烧热。")),
                "2. " + g.pick(("加入调料翻炒均匀。", "小火慢炖40分钟。")), "3. 出锅装盘即可。"]
    return [g.pick(("Banana bread", "Vegetable curry", "Lemon drizzle cake", "Tomato soup")),
            f"Serves {g.r.randint(2, 8)}  Prep {g.r.randint(10, 30)} min", "Ingredients",
            f"{g.r.randint(100, 500)} g flour", f"{g.r.randint(1, 4)} eggs", "1 tsp salt",
            "Method", "1. Preheat the oven to 180 C.", "2. Mix the dry ingredients.",
            "3. Bake for 40 minutes until golden."]


def _manual(g: Gen) -> list[str]:
    if g.zh:
        return [g.pick(("使用说明书", "产品说明", "安装指南")),
                f"型号：{g.pick('ABCX')}-{g.num(3)}",
                "注意事项：", "1. 使用前请仔细阅读本说明书。", "2. 请勿在潮湿环境中使用。",
                f"额定电压：220V  功率：{g.r.randint(5, 20) * 100}W", "保修期：一年",
                f"客服热线：{g.phone()}"]
    return [g.pick(("User Guide", "Quick start guide", "Installation instructions",
                    "Safety information")), f"Model {g.pick('ABCX')}{g.num(3)}",
            "1. Unpack the device and check all parts are present.",
            "2. Connect the power cable and press the power button for 3 seconds.",
            f"Input: 100-240V  {g.r.randint(5, 20) * 100}W", "Warranty: 24 months from purchase.",
            "Do not immerse in water.", f"Support: {g.phone()}"]


def _notice(g: Gen) -> list[str]:
    if g.zh:
        return [g.pick(("通知", "关于停水的通知", "放假通知", "社区公告", "温馨提示")),
                f"各位{g.pick(('业主', '同事', '家长', '居民'))}：",
                f"因{g.pick(('管道维修', '国庆节', '设备检修'))}，{g.date()}"
                f"{g.pick(('停水一天', '放假三天', '暂停服务'))}。",
                "请大家提前做好准备，带来不便敬请谅解。",
                g.pick(("物业服务中心", "行政部", "校办")),
                g.date()]
    return [g.pick(("NOTICE", "Parish newsletter", "School newsletter", "Community notice",
                    "Planned power outage")), f"To all {g.pick(('residents', 'parents', 'staff'))}",
            f"On {g.date()} from {g.time()} the {g.pick(('water supply', 'car park', 'library'))} "
            "will be closed for maintenance.", "We apologise for any inconvenience.",
            f"Questions: {g.person()}, {g.phone()}"]


def _itinerary(g: Gen) -> list[str]:
    code = "".join(g.pick("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(6))
    if g.zh:
        return [g.pick(("行程单", "电子客票行程单", "酒店预订确认", "火车票")),
                f"乘客：{g.person()}",
                f"航班：{g.pick(('CA', 'MU', 'CZ', 'CI', 'BR'))}{g.num(4)}",
                f"出发：{g.pick(('北京', '上海', '台北'))} {g.date()} {g.time()}",
                f"到达：{g.pick(('广州', '成都', '高雄'))}", f"订单号：{code}",
                "请提前两小时到达机场"]
    return [g.pick(("Booking confirmation", "E-ticket itinerary", "Hotel reservation",
                    "Boarding pass")), f"Passenger: {g.person()}", f"Booking ref: {code}",
            f"Flight {g.pick(('BA', 'MH', 'SQ', 'AC', 'QF'))}{g.num(3)}  {g.date()}  {g.time()}",
            f"From {g.pick(('London', 'Kuala Lumpur', 'Vancouver'))} to "
            f"{g.pick(('Singapore', 'Sydney', 'Lisbon'))}", f"Seat {g.r.randint(1, 40)}"
            f"{g.pick('ABCDEF')}", "Check-in closes 45 minutes before departure."]


def _contract(g: Gen) -> list[str]:
    if g.zh:
        return [g.pick(("房屋租赁合同", "劳动合同", "服务协议")), f"甲方：{g.person()}",
                f"乙方：{g.company('firm')}", "第一条 合同期限", f"自{g.date()}起至"
                f"{g.date(g.day(ahead=365))}止。", "第二条 双方权利义务", "双方应遵守本合同约定。",
                "甲方（签字）：        乙方（盖章）："]
    return [g.pick(("TENANCY AGREEMENT", "Employment contract", "Service agreement",
                    "Non-disclosure agreement")), f"This agreement is made on {g.date()} between "
            f"{g.person()} and {g.company('firm')}.", "1. Term", "The term starts on the date "
            "above and runs for twelve months.", "2. Obligations", "Each party shall keep the "
            "other's information confidential.", "Signed: ____________"]


def _email(g: Gen) -> list[str]:
    if g.zh:
        return [f"发件人：{g.person()}", f"收件人：{g.person()}", f"日期：{g.date()}",
                f"主题：{g.pick(('周末聚会', '报告初稿', '下周安排'))}", f"{g.person()}你好，",
                g.pick(("附件是报告的初稿，请查收。", "周六下午三点在老地方见。",
                        "下周的安排我整理好了，请看一下。")), "谢谢！"]
    return [f"From: {g.person()}", f"To: {g.person()}", f"Sent: {g.date()} {g.time()}",
            f"Subject: {g.pick(('Weekend plans', 'Draft report', 'Re: next steps'))}",
            f"Hi {g.pick(('all', 'there', g.person()))},", g.pick((
                "Attached is the first draft; comments welcome by Thursday.",
                "Shall we meet at the station at ten?", "Thanks for the update, see below.")),
            "Cheers"]


def _cv(g: Gen) -> list[str]:
    if g.zh:
        return ["个人简历", f"姓名：{g.person()}", f"电话：{g.phone()}", "教育背景",
                f"{g.r.randint(2005, 2020)}-{g.r.randint(2009, 2024)} 某大学 计算机专业",
                "工作经历", f"{g.company('firm')} 软件工程师", "技能：Python、数据分析"]
    return [g.person(), f"{g.phone()} | {g.pick(('jo', 'sam', 'alex'))}@example.com",
            "EXPERIENCE", f"{g.company('firm')} - {g.pick(('Analyst', 'Engineer', 'Teacher'))}",
            f"{g.r.randint(2008, 2020)} - present", "EDUCATION",
            f"BSc {g.pick(('Biology', 'Economics', 'Physics'))}, {g.r.randint(2000, 2018)}",
            "SKILLS: Excel, project planning, first aid"]


KINDS: tuple[Callable[[Gen], list[str]], ...] = (
    _letter, _minutes, _recipe, _manual, _notice, _itinerary, _contract, _email, _cv)


def other(g: Gen) -> list[str]:
    return g.pick(KINDS)(g)
