"""Shared pieces of the synthetic documents: made-up names, places, dates, amounts.

Everything here is invented (word lists combined at random); nothing is taken
from the dev set or the routing fixtures. ``Gen`` carries one document's random
state and its house style (currency, date format, number format), so a document
is consistent with itself while documents differ from each other.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

T = TypeVar("T")

LANGS = ("en", "zh-Hans", "zh-Hant")

# -- word lists (made up or generic) -----------------------------------------------
FIRST = ("James", "Mary", "Aisha", "Ravi", "Chen", "Olivia", "Noah", "Fatima", "Liam", "Sofia",
         "Mateo", "Hannah", "Kwame", "Yuki", "Priya", "Samuel", "Grace", "Omar", "Elena", "Tom",
         "Nur", "Siti", "Ahmad", "Mei Ling", "Wei Jie", "Carlos", "Ingrid", "Lucas", "Zara",
         "Peter", "Amara", "Jonas", "Leila", "Marcus", "Ruth", "Dev", "Ana", "Felix", "Joy")
LAST = ("Smith", "Okafor", "Tan", "Lim", "Patel", "Garcia", "Nguyen", "Kowalski", "Brown",
        "Rahman", "Ibrahim", "Wong", "Schmidt", "Rossi", "Haddad", "Johansson", "Murphy",
        "Fernandes", "Abdullah", "Ong", "Lee", "Kim", "Dubois", "Novak", "Mensah", "Cohen",
        "Walker", "Moreau", "Singh", "Taylor", "Yamamoto", "Ortiz", "Byrne", "Adeyemi", "Chua")
ZH_SURNAME = ("王李张刘陈杨黄赵吴周徐孙马朱胡林郭何高罗郑梁谢宋"
              "唐许邓冯韩曹彭曾肖田董潘袁蔡蒋余于杜叶程")
ZH_GIVEN = ("伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛",
            "明", "超", "秀英", "华", "慧", "建国", "志强", "晓燕", "俊杰", "雅婷", "家豪", "淑芬",
            "美玲", "子轩", "欣怡", "宇航", "思远", "佳琪", "文博", "嘉欣", "浩然", "婉清")

BRAND = ("Birch", "Heron", "Sunrise", "Golden", "Evergreen", "Blue Ridge", "Silver Oak",
         "Northstar", "Riverside", "Greenfield", "Bright", "Crescent", "Summit", "Lotus",
         "Orchid", "Pioneer", "Coral", "Jade", "Falcon", "Meadow", "Cedar", "Aurora", "Kenanga",
         "Seri", "Bintang", "Mutiara", "Harmony", "Unity", "Prime", "Royal", "Star", "Kingsway",
         "Ashgrove", "Willow", "Fortune", "Everbright", "Sentosa", "Delta", "Apex", "Vista")
SHOP_KIND = ("Cafe", "Bakery", "Hardware", "Pharmacy", "Mini Market", "Supermarket", "Trading",
             "Electrical", "Stationery", "Restaurant", "Kitchen", "Bookstore", "Florist",
             "Auto Parts", "Petrol Station", "Optical", "Textile", "Food Court", "Grocer",
             "Noodle House", "Tea House", "Deli", "Pet Shop", "Sports", "Home Deco", "Bistro",
             "Convenience Store", "Book Centre", "Gift Shop", "Car Wash", "Laundry")
FIRM_KIND = ("Consulting", "IT Services", "Logistics", "Design Studio", "Engineering",
             "Plumbing", "Accounting", "Legal Services", "Marketing", "Printing", "Cleaning",
             "Software", "Construction", "Media", "Security Services", "Catering", "Supplies",
             "Architects", "Translation", "Electrical Contractors", "Freight")
SUFFIX = ("Ltd", "Limited", "Inc.", "LLC", "Sdn Bhd", "SDN. BHD.", "Pte Ltd", "Pty Ltd", "GmbH",
          "Co.", "& Sons", "Enterprise", "Corp.", "PLC", "(M) Sdn Bhd", "")
STREET = ("King", "Market", "Station", "Church", "Harbour", "Mill", "Park", "Victoria", "Elm",
          "Orchard", "Bukit", "Sultan", "Merdeka", "Cedar", "Lake", "Hill", "Bridge", "Queen",
          "Rowan", "Cherry", "Kenari", "Mawar", "Industri", "Perdana", "Pine", "Garden")
STREET_KIND = ("St", "Street", "Road", "Rd", "Avenue", "Ave", "Lane", "Drive", "Way",
               "Boulevard", "Close", "Crescent")
CITY = ("Thornbury", "Eastport", "Riverton", "Kingsbridge", "Ashford", "Fairview", "Lakeside",
        "Petaling", "Seremban", "Klang", "Kuantan", "Ipoh", "Westfield", "Norwood", "Brookdale",
        "Glenmore", "Springvale", "Harrowgate", "Bayview", "Stonehaven", "Oakridge", "Marston")
ZH_CITY = ("北京", "上海", "广州", "深圳", "杭州", "成都", "南京", "武汉", "西安", "苏州",
           "天津", "重庆", "厦门", "长沙", "青岛", "宁波")
ZH_CITY_TW = ("台北", "新北", "台中", "台南", "高雄", "桃园", "新竹", "基隆", "香港", "九龙")
ZH_DISTRICT = ("东城", "海淀", "浦东", "徐汇", "天河", "南山", "西湖", "武侯", "鼓楼", "北屯",
               "大安", "中山", "中正", "东区", "西区", "沙田", "湾仔")
ZH_ROAD = ("建设", "人民", "中山", "解放", "和平", "长江", "黄河", "新华", "光明", "复兴",
           "民生", "忠孝", "仁爱", "敦化", "南京", "松江", "文化", "幸福")
ZH_BRAND = ("明远", "华信", "金辉", "永泰", "宏业", "鑫源", "恒通", "嘉禾", "瑞丰", "天成",
            "博远", "新锐", "福满", "盛世", "德润", "众诚", "安和", "乐活", "万家", "佳美")
ZH_SHOP = ("超市", "便利店", "餐厅", "面馆", "咖啡馆", "药房", "书店", "五金店", "水果店",
           "烘焙坊", "茶饮店", "文具店", "加油站", "火锅店", "花店", "眼镜店", "服装店")
ZH_FIRM = ("科技有限公司", "贸易有限公司", "商贸有限公司", "印刷有限公司", "建材有限公司",
           "设计工作室", "信息技术有限公司", "物流有限公司", "咨询有限公司", "广告有限公司",
           "装饰工程有限公司", "餐饮管理有限公司", "电子有限公司", "实业有限公司")

# -- money and dates -----------------------------------------------------------------
_EN_MARKS = (("RM", "pre"), ("$", "pre"), ("S$", "pre"), ("£", "pre"), ("€", "pre"),
             ("€", "post"), ("CAD ", "pre"), ("A$", "pre"), ("HK$", "pre"), ("USD ", "pre"),
             (" EUR", "post"), (" GBP", "post"), ("", "pre"), ("", "pre"), ("RM ", "pre"))
_HANS_MARKS = (("¥", "pre"), ("￥", "pre"), ("元", "post"), (" 元", "post"), ("RMB ", "pre"),
               ("", "pre"), ("", "pre"))
_HANT_MARKS = (("NT$", "pre"), ("NT$ ", "pre"), ("HK$", "pre"), ("元", "post"), ("$", "pre"),
               ("", "pre"), ("MOP ", "pre"))
_EN_DATES = ("%d/%m/%Y", "%m/%d/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d.%m.%y", "%d/%m/%y",
             "%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%d-%b-%y", "%d-%b-%Y", "%Y%m%d",
             "%a %d %b %Y", "%Y/%m/%d", "%d %b %y", "%A, %B %d, %Y")


class Gen:
    """One document's randomness and house style."""

    def __init__(self, rng: random.Random, lang: str) -> None:
        self.r = rng
        self.lang = lang
        self.zh = lang.startswith("zh")
        self.hant = lang == "zh-Hant"
        marks = _HANT_MARKS if self.hant else _HANS_MARKS if self.zh else _EN_MARKS
        self.mark, self.mark_at = rng.choice(marks)
        self.euro_numbers = not self.zh and rng.random() < 0.12  # 1.234,56
        self.thousands = rng.random() < 0.7
        self.date_style = self._date_style()
        self.today = date(2015, 1, 1) + timedelta(days=rng.randrange(4000))
        self.gold: dict[str, str] = {}  # fields a builder records as it prints them

    # choosing
    def pick(self, seq: Sequence[T]) -> T:
        return self.r.choice(seq)

    def t(self, en: Sequence[str], zh: Sequence[str]) -> str:
        """A wording in the document's language."""
        return self.pick(zh if self.zh else en)

    def chance(self, p: float) -> bool:
        return self.r.random() < p

    def some(self, seq: Sequence[T], lo: int, hi: int) -> list[T]:
        return self.r.sample(list(seq), min(len(seq), self.r.randint(lo, hi)))

    def num(self, digits: int) -> str:
        return "".join(str(self.r.randrange(10)) for _ in range(digits))

    # people and places
    def person(self) -> str:
        if self.zh:
            return self.pick(ZH_SURNAME) + self.pick(ZH_GIVEN)
        first, last = self.pick(FIRST), self.pick(LAST)
        return self.pick((f"{first} {last}", f"{last}, {first}", f"{first[0]}. {last}",
                          f"{first.upper()} {last.upper()}", f"{first} {self.pick(LAST)} {last}"))

    def company(self, kind: str = "shop") -> str:
        if self.zh:
            city = self.pick(ZH_CITY_TW if self.hant else ZH_CITY)
            brand = self.pick(ZH_BRAND)
            if kind == "shop":
                return self.pick((f"{brand}{self.pick(ZH_SHOP)}",
                                  f"{brand}{self.pick(ZH_SHOP)}（{self.pick(ZH_DISTRICT)}店）",
                                  f"{city}{brand}{self.pick(ZH_FIRM)}"))
            return f"{city}{brand}{self.pick(ZH_FIRM)}"
        words = SHOP_KIND if kind == "shop" else FIRM_KIND
        name = f"{self.pick(BRAND)} {self.pick(words)}"
        if self.chance(0.3):
            name = f"{self.pick(LAST)} {self.pick(words)}"
        suffix = self.pick(SUFFIX)
        return f"{name} {suffix}".strip()

    def address(self) -> list[str]:
        """One to three lines."""
        if self.zh:
            city = self.pick(ZH_CITY_TW if self.hant else ZH_CITY)
            line = (f"{city}市{self.pick(ZH_DISTRICT)}区{self.pick(ZH_ROAD)}路"
                    f"{self.r.randint(1, 399)}号")
            if self.chance(0.4):
                line += f"{self.r.randint(1, 30)}楼"
            return [line] if self.chance(0.8) else [line[:8], line[8:]]
        n = self.r.randint(1, 420)
        street = self.pick((f"{n} {self.pick(STREET)} {self.pick(STREET_KIND)}",
                            f"No. {n}, Jalan {self.pick(STREET)} {self.r.randint(1, 20)}",
                            f"Lot {n}, {self.pick(STREET)} Industrial Park",
                            f"Unit {self.r.randint(1, 40)}, {n} {self.pick(STREET)} "
                            f"{self.pick(STREET_KIND)}"))
        city = self.pick(CITY)
        code = self.pick((self.num(5), f"{self.pick('ABCDEFGHKLMNPRSTW')}{self.r.randint(1, 20)} "
                          f"{self.r.randint(1, 9)}{self.pick('ABDEFGHJLNPQRSTUWXYZ')}"
                          f"{self.pick('ABDEFGHJLNPQRSTUWXYZ')}", f"{self.num(4)}"))
        region = self.pick(("", "", "Selangor", "Johor", "ON", "NSW", "CA", "TX", "Kent", "VIC"))
        tail = self.pick((f"{code} {city}", f"{city} {code}", f"{city}, {region} {code}".replace(
            ", ", " ", 1 if not region else 0)))
        lines = [street, tail]
        if self.chance(0.25):
            lines.insert(1, self.pick(("Taman " + self.pick(STREET), "Suite " + self.num(3),
                                       self.pick(BRAND) + " Plaza", "Block B")))
        if self.chance(0.3):
            lines = [", ".join(lines)]
        return lines

    def phone(self) -> str:
        if self.zh:
            return self.pick((f"0{self.num(2)}-{self.num(8)}", f"1{self.num(10)}",
                              f"(0{self.num(1)}){self.num(4)}-{self.num(4)}"))
        return self.pick((f"0{self.num(1)}-{self.num(7)}", f"+{self.r.randint(1, 99)} "
                          f"{self.num(3)} {self.num(3)} {self.num(4)}",
                          f"({self.num(3)}) {self.num(3)}-{self.num(4)}", f"0{self.num(4)} "
                          f"{self.num(6)}"))

    # dates
    def _date_style(self) -> str:
        if self.hant and self.r.random() < 0.35:
            return "roc"
        if self.zh:
            return self.pick(("%Y年%m月%d日", "cjk", "%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "cjk"))
        return self.pick(_EN_DATES)

    def day(self, back: int = 0, ahead: int = 0) -> date:
        return self.today + timedelta(days=self.r.randint(-back, ahead))

    def date(self, d: date | None = None, style: str | None = None) -> str:
        d = d or self.today
        style = style or self.date_style
        if style == "cjk":
            return f"{d.year}年{d.month}月{d.day}日"
        if style == "roc":
            return self.pick((f"民国{d.year - 1911}年{d.month}月{d.day}日",
                              f"{d.year - 1911}/{d.month:02d}/{d.day:02d}"))
        return d.strftime(style)

    def time(self) -> str:
        h, m, s = self.r.randrange(7, 23), self.r.randrange(60), self.r.randrange(60)
        if not self.zh and self.chance(0.3):
            return f"{(h - 1) % 12 + 1}:{m:02d} {'PM' if h >= 12 else 'AM'}"
        return f"{h:02d}:{m:02d}" + (f":{s:02d}" if self.chance(0.5) else "")

    # money
    def money(self, lo: float, hi: float, cents: bool = True) -> Decimal:
        v = Decimal(str(round(self.r.uniform(lo, hi), 2 if cents else 0)))
        return v.quantize(Decimal("0.01"), ROUND_HALF_UP)

    def number(self, v: Decimal) -> str:
        s = f"{v:,.2f}" if self.thousands else f"{v:.2f}"
        if self.euro_numbers:
            s = s.replace(",", " ").replace(".", ",").replace(" ", ".")
        return s

    def amt(self, v: Decimal, mark: bool | None = None) -> str:
        """An amount, with the document's currency mark when ``mark`` (default: sometimes)."""
        s = self.number(v)
        if v < 0:
            s = "-" + self.number(-v)
        if mark is None:
            mark = self.chance(0.35)
        if not mark or not self.mark:
            return s
        return f"{self.mark}{s}" if self.mark_at == "pre" else f"{s}{self.mark}"


def columns(g: Gen, *cells: str) -> str:
    """Cells of a table row, spaced the way a text extraction or OCR might space them."""
    sep = g.pick(("  ", "   ", " ", "\t", "    ", " | "))
    return sep.join(c for c in cells if c != "")
