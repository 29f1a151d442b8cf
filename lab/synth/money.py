"""Synthetic receipts, invoices, bank statements and payslips.

Each builder returns the document's lines. Confusable cues are put on purpose
where real documents carry them: receipts headed "TAX INVOICE" or Taiwan's
電子發票證明聯 (a till receipt called an invoice), invoices marked PAID,
statements full of shop names, payslips with a bank account.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from .common import Gen, columns

ITEMS_EN = ("Cappuccino", "Latte", "Scone", "Muffin", "Bread loaf", "Milk 1L", "Eggs 10s",
            "Rice 5kg", "Cooking oil 2L", "Sugar 1kg", "Mineral water", "Paint brush 2in",
            "Wood screws 50pc", "A4 paper ream", "Ballpoint pen (blue)", "Notebook B5",
            "Chicken rice", "Nasi lemak", "Iced tea", "Fried noodles", "Teh tarik", "Toast set",
            "Shampoo 400ml", "Toothpaste", "Paracetamol 500mg", "Vitamin C", "Plaster strips",
            "LED bulb 9W", "Extension cord", "Batteries AA x4", "Cable ties", "Masking tape",
            "Apples 1kg", "Bananas", "Tomatoes", "Onions 1kg", "Orange juice", "Yoghurt",
            "Unleaded 95", "Diesel", "Car wash", "Parking 2h", "Fish fillet", "Beef slices",
            "Greeting card", "Gift wrap", "Birthday cake", "Flowers bouquet", "Dog food 3kg",
            "Detergent 2kg", "Tissue box", "Coffee beans 250g", "Green tea", "Burger combo")
ITEMS_ZH = ("豆奶", "吐司", "鸡蛋", "大米5kg", "食用油", "矿泉水", "可乐", "薯片", "苹果",
            "香蕉", "酸奶", "咖啡", "拿铁", "奶茶", "牛肉面", "炒饭", "饺子", "包子", "豆浆",
            "油条", "三明治", "便当", "绿茶", "洗发水", "牙膏", "纸巾", "电池", "笔记本", "圆珠笔",
            "感冒药", "维生素C", "口罩", "汽油95号", "停车费", "蛋糕", "鲜花", "猫粮", "洗衣液")
SERVICES_EN = ("Consulting services", "Website design", "Monthly IT support",
               "Software licence (annual)", "Hosting - 12 months", "Legal advice", "Audit fee",
               "Translation of documents", "Freight charges", "Installation labour",
               "Boiler service", "Office cleaning - March", "Catering for 40 guests",
               "Printing of brochures", "Security patrol services", "Bookkeeping",
               "Architectural drawings", "Marketing campaign", "Equipment rental",
               "Electrical wiring works", "Training workshop", "Project management",
               "Delivery charge", "Spare parts", "Copywriting", "Photography session")
SERVICES_ZH = ("软件开发服务", "技术咨询费", "网站设计", "办公用品", "印刷费", "运输服务",
               "设备租赁", "装修工程款", "广告服务费", "培训服务", "会议服务", "餐饮服务",
               "办公家具", "电子元件", "建材", "物业管理费", "翻译服务", "系统集成服务")


def _items(g: Gen, names: tuple[str, ...], lo: int, hi: int, price: tuple[float, float]
           ) -> tuple[list[str], Decimal]:
    lines, total = [], Decimal(0)
    style = g.r.randrange(4)
    for name in g.some(names, lo, hi):
        qty = g.r.choice((1, 1, 1, 2, 3, 4, 6))
        unit = g.money(*price)
        amount = unit * qty
        total += amount
        if style == 0:
            lines.append(columns(g, name, g.amt(amount, False)))
        elif style == 1:
            lines.append(columns(g, f"{qty} x {name}" if g.zh is False else f"{name} x{qty}",
                                 g.amt(amount, False)))
        elif style == 2:
            lines.append(columns(g, name, str(qty), g.amt(unit, False), g.amt(amount, False)))
        else:
            lines.append(name)
            lines.append(columns(g, f"{qty} {g.pick(('PC', 'X', '@', 'UNIT', '*'))} "
                                    f"{g.amt(unit, False)}", g.amt(amount, False)))
    return lines, total


def _tax_codes(g: Gen, lines: list[str]) -> list[str]:
    """Till receipts often end each item line with its tax code (SR, ZR, T, S...)."""
    code = g.pick((" SR", " T", " S", " ZR", " Z", " *", " A"))
    return [ln + code if any(ch.isdigit() for ch in ln[-3:]) else ln for ln in lines]


def receipt(g: Gen) -> list[str]:
    out: list[str] = []
    if not g.zh and g.chance(0.1):
        out.append(g.person().upper())  # a name written or stamped above the print
    out.append(g.company("shop"))
    g.gold["merchant"] = out[-1]
    if not g.zh and g.chance(0.3):
        out.append(f"({g.num(6)}-{g.pick('ABKMPTUVWX')})")
    if g.chance(0.85):
        address = g.address()
        out += address
        g.gold["merchant_address"] = " ".join(address)
    if g.chance(0.6):
        out.append(g.t(("TEL: ", "Tel ", "Phone: ", "T: "), ("电话：", "电话 ", "TEL:"))
                   + g.phone())
    if g.chance(0.4):
        out.append(g.t((f"GST ID: {g.num(12)}", f"GST REG NO: {g.num(12)}",
                        f"SST ID: W10-{g.num(4)}-{g.num(8)}", f"VAT No. GB{g.num(9)}",
                        f"ABN {g.num(2)} {g.num(3)} {g.num(3)} {g.num(3)}",
                        f"HST # {g.num(9)} RT0001"),
                       (f"统一编号：{g.num(8)}", f"税号：91{g.num(16)}",
                        f"纳税人识别号：{g.num(15)}")))
    title = g.t(("RECEIPT", "TAX INVOICE", "TAX INVOICE", "SIMPLIFIED TAX INVOICE", "CASH BILL",
                 "CASH RECEIPT", "OFFICIAL RECEIPT", "SALES RECEIPT", "INVOICE", "Receipt",
                 "Tax Invoice", "TAX INVOICE / RECEIPT", "CASH SALE", "", "", ""),
                ("收据", "购物小票", "销售单", "收银小票", "电子发票证明联", "", "", "结账单"))
    if title:
        out.append(title)
    no = g.t((f"Receipt No: {g.num(6)}", f"Bill No: {g.num(8)}", f"Inv No: CS{g.num(8)}",
              f"INVOICE NO : CS{g.num(5)}", f"Invoice No.: {g.pick('ABKST')}{g.num(6)}",
              f"Doc No : TD{g.num(8)}", f"Trans #{g.num(5)}", f"Invoice #: {g.num(7)}",
              f"Order {g.num(4)}", f"Chk {g.num(4)}"),
             (f"单号：{g.num(12)}", f"流水号：{g.num(10)}", f"小票号 {g.num(8)}",
              f"发票号码：{g.pick('ABCDEFGHKMQRTUVXYZ')}{g.pick('ABCDEFGHKMQRTUVXYZ')}-{g.num(8)}"))
    when = g.t((f"Date: {g.date()} {g.time()}", f"{g.date()} {g.time()}",
                f"DATE {g.date()}  TIME {g.time()}", f"Tarikh: {g.date()}"),
               (f"日期：{g.date()} {g.time()}", f"交易时间 {g.date()} {g.time()}",
                f"{g.date()} {g.time()}", f"时间：{g.date()}"))
    out += [no, when] if g.chance(0.5) else [when, no]
    if g.chance(0.5):
        out.append(g.t((f"Cashier: {g.pick(('ANNA', 'Ben', 'SITI', 'M. Roy', '03'))}",
                        f"Table {g.r.randint(1, 40)}  Pax {g.r.randint(1, 6)}",
                        f"POS {g.r.randint(1, 9)}  Counter {g.r.randint(1, 5)}",
                        f"Server: {g.person()}", f"Pump {g.r.randint(1, 12)}"),
                       (f"收银员：{g.num(4)}", f"收银台 {g.r.randint(1, 9)}",
                        f"桌号：{g.r.randint(1, 30)}", f"机号 {g.num(3)}")))
    if g.chance(0.4):
        out.append(g.t(("QTY  DESCRIPTION  AMOUNT", "Item Qty Price Total", "DESC/ITEM QTY AMT(RM)",
                        "CODE/DESC PRICE DISC AMOUNT"), ("品名 数量 单价 金额", "商品 数量 金额")))
    if not g.zh and g.chance(0.25):
        out.append(g.pick(("DINE IN", "TAKE AWAY", "CARRY OUT", "Order type: Delivery")) + " "
                   + g.pick(("", f"ORDER : {g.num(4)}", f"Pickup time: {g.time()}")))
    items, total = _items(g, ITEMS_ZH if g.zh else ITEMS_EN, 1, 9, (0.8, 45))
    out += _tax_codes(g, items) if not g.zh and g.chance(0.3) else items
    if g.chance(0.2):
        out.append(g.t((f"TOTAL ITEMS : {len(items)}", f"Total Qty: {len(items)}",
                        f"No. of items {len(items)}"),
                       (f"件数：{len(items)}", f"数量合计 {len(items)}")))
    if g.chance(0.5):
        out.append(columns(g, g.t(("Subtotal", "SUB TOTAL", "Sub-total"), ("小计", "小计：")),
                           g.amt(total)))
    if g.chance(0.55):
        rate = g.pick((6, 10, 13, 20, 5, 8, 7, 0))
        tax = (total * rate / 100).quantize(Decimal("0.01"))
        out.append(columns(g, g.t((f"GST {rate}%", f"SST {rate}%", f"VAT {rate}%", f"HST {rate}%",
                                   f"Service Charge {rate}%", "Tax", f"Sales tax {rate}%"),
                                  (f"税额 {rate}%", "服务费", f"营业税 {rate}%")), g.amt(tax)))
        total += tax
    if not g.zh and g.chance(0.25):
        out.append(columns(g, g.pick(("Rounding Adj", "ROUNDING ADJUSTMENT", "Rounding")),
                           g.pick(("0.00", "-0.01", "0.02", "-0.02"))))
    label = g.t(("TOTAL", "Total", "GRAND TOTAL", "Total Amount", "TOTAL (RM):", "NETT TOTAL",
                 "Amount Due", "TOTAL INCL. GST", "Total Sales", "ROUNDED TOTAL", "Total:"),
                ("合计", "合计：", "总计", "应收", "应付金额", "总计：", "实收金额"))
    out.append(columns(g, label, g.amt(total, True if g.chance(0.5) else None)))
    pay = g.r.randrange(4)
    if pay == 0:
        given = (total / 10).to_integral_value() * 10 + 10
        if g.chance(0.2):
            out.append(columns(g, g.t(("AMOUNT TO BE PAID", "Amount payable", "TO PAY"),
                                      ("应付", "应收金额")), g.amt(total)))
        out.append(columns(g, g.t(("CASH", "Cash", "Tendered", "CASH PAID", "PAYMENT",
                                   "CASH RECEIVED", "AMOUNT TENDERED", "Paid"),
                                  ("现金", "现金：", "实收", "收款")), g.amt(given)))
        out.append(columns(g, g.t(("CHANGE", "Change", "Change Due", "BALANCE", "CHANGE DUE"),
                                  ("找零", "找零：", "找赎")), g.amt(given - total)))
    elif pay == 1:
        out.append(columns(g, g.t((f"VISA ****{g.num(4)}", f"MASTERCARD XXXX{g.num(4)}",
                                   "Debit card", "AMEX", "Contactless", "Card"),
                                  ("银联卡", "信用卡", "刷卡", "一卡通")), g.amt(total)))
        if g.chance(0.5):
            out.append(g.t((f"Approval code: {g.num(6)}", f"AUTH {g.num(6)}", "APPROVED",
                            f"RRN {g.num(12)}"), (f"授权码：{g.num(6)}", "交易成功")))
    elif pay == 2:
        out.append(columns(g, g.t(("Touch n Go eWallet", "GrabPay", "Apple Pay", "Alipay",
                                   "DuitNow QR", "PayPal", "Google Pay"),
                                  ("微信支付", "支付宝", "云闪付", "LINE Pay", "八达通")),
                           g.amt(total)))
    if not g.zh and g.chance(0.25):
        rate = g.pick((6, 7, 8, 10, 9))
        net = (total * 100 / (100 + rate)).quantize(Decimal("0.01"))
        out += g.pick(([f"*{rate}% GST INCLUDED : {g.amt(total - net, False)}"],
                       [f"INCL. {rate}% GST {g.amt(total - net, False)}",
                        f"PRICES INCLUSIVE {rate}% GST"],
                       ["GST SUMMARY AMOUNT(RM) TAX(RM)",
                        columns(g, f"SR @ {rate}%", g.amt(net, False), g.amt(total - net, False)),
                        columns(g, "ZR @ 0%", "0.00", "0.00")],
                       [f"Total includes VAT {rate}%: {g.amt(total - net, False)}"]))
    if g.chance(0.5):
        out.append(g.t(("Thank you! Please come again", "THANK YOU",
                        "TERIMA KASIH SILA DATANG LAGI",
                        "ALL SALES ARE FINAL", "Tell us how we did: survey code " + g.num(12),
                        f"www.{g.pick(('shop', 'eat', 'buy'))}{g.num(2)}.example",
                        "GOODS SOLD ARE NOT RETURNABLE OR EXCHANGEABLE", "See you soon!",
                        "Keep this receipt for returns within 30 days", "No refund. Exchange "
                        "within 7 days with receipt", "Have a nice day"),
                       ("谢谢惠顾", "欢迎再次光临", "谢谢光临，欢迎下次再来", "请妥善保管小票",
                        "商品如有质量问题请凭小票七日内退换")))
    if g.chance(0.2):
        out.append(g.t((f"Points earned: {g.r.randint(1, 90)}", f"Member: {g.num(10)}",
                        "Wi-Fi password: guest1234"), (f"会员积分：{g.r.randint(1, 300)}",
                                                       f"随机码：{g.num(4)}")))
    return out


def invoice(g: Gen) -> list[str]:
    vendor = g.company("firm")
    head = [vendor] + (g.address() if g.chance(0.8) else [])
    if g.chance(0.5):
        head.append(g.t((f"Tel {g.phone()}", f"Email: accounts@{vendor.split()[0].lower()}.example",
                         f"VAT Reg No. {g.num(9)}", f"Company No. {g.num(8)}",
                         f"ABN {g.num(11)}", f"GST Reg: {g.num(12)}"),
                        (f"电话：{g.phone()}", f"纳税人识别号：91{g.num(16)}",
                         f"统一编号：{g.num(8)}")))
    title = g.t(("INVOICE", "Invoice", "TAX INVOICE", "Tax Invoice", "COMMERCIAL INVOICE",
                 "SALES INVOICE", "INVOICE / BILL", "Bill", "Statement of charges"),
                ("发票", "增值税普通发票", "增值税专用发票", "请款单", "账单",
                 "统一发票", "销售发票", "服务费发票"))
    out = head + [title] if g.chance(0.7) else [title] + head
    meta = [
        g.t((f"Invoice No: {g.pick(('INV', 'BL', ''))}-{g.num(5)}", f"Invoice #: {g.num(4)}",
             f"Invoice number {g.num(6)}", f"No. {g.num(6)}", f"Bill No: {g.num(6)}"),
            (f"发票号码：{g.num(8)}", f"发票代码：{g.num(12)}", f"编号：{g.num(10)}")),
        g.t((f"Invoice date: {g.date()}", f"Date: {g.date()}", f"Date of issue: {g.date()}",
             f"Issued {g.date()}"), (f"开票日期：{g.date()}", f"日期：{g.date()}")),
    ]
    due = g.today + timedelta(days=g.pick((7, 14, 30, 45, 60)))
    if g.chance(0.75):
        meta.append(g.t((f"Due date: {g.date(due)}", f"Payment due: {g.date(due)}",
                         f"Due: {g.date(due)}", "Terms: Net 30", "Payment terms: 14 days",
                         "Due on receipt", f"Pay by {g.date(due)}"),
                        (f"付款期限：{g.date(due)}", f"到期日：{g.date(due)}", "付款方式：银行转账",
                         "请于30日内付款")))
    if g.chance(0.35):
        meta.append(g.t((f"PO Number: {g.num(6)}", f"Customer ID: C{g.num(5)}",
                         f"Your ref: {g.num(4)}/{g.num(2)}"), (f"合同号：HT{g.num(6)}",
                                                               f"订单号：{g.num(10)}")))
    g.r.shuffle(meta)
    out += meta
    buyer = g.company("firm") if g.chance(0.6) else g.person()
    out.append(g.t(("Bill to: ", "Billed to: ", "Invoice to: ", "Customer: ", "Sold to: ",
                    "To: ", "BILL TO\n", "Client: "),
                   ("购买方：", "购买方名称：", "客户：", "买受人：", "付款单位：")) + buyer)
    if g.chance(0.5):
        out += g.address()
    if g.chance(0.2):
        out.append(g.t(("Ship to: same as billing", f"Deliver to: {g.address()[0]}"),
                       ("收货地址：同上",)))
    if g.chance(0.6):
        out.append(g.t(("Description  Qty  Unit price  Amount", "ITEM | QTY | RATE | AMOUNT",
                        "Description Hours Rate Total"),
                       ("项目 数量 单价 金额",
                        "货物或应税劳务名称 规格型号 单位 数量 单价 金额 税率 税额")))
    items, total = _items(g, SERVICES_ZH if g.zh else SERVICES_EN, 1, 6, (40, 3000))
    out += items
    rate = g.pick((20, 10, 6, 8, 5, 13, 0, 15))
    tax = (total * rate / 100).quantize(Decimal("0.01"))
    if g.chance(0.6):
        out.append(columns(g, g.t(("Subtotal", "Net amount", "Sub-total"), ("金额", "合计金额")),
                           g.amt(total)))
    if g.chance(0.7):
        out.append(columns(g, g.t((f"VAT {rate}%", f"GST {rate}%", f"Sales tax {rate}%", "Tax"),
                                  ("税额", f"税率 {rate}%", f"营业税 {rate}%")), g.amt(tax)))
    out.append(columns(g, g.t(("Total due", "Amount due", "TOTAL", "Balance due", "Total",
                               "Amount payable", "Total (incl. VAT)", "Grand total"),
                              ("价税合计", "价税合计（小写）", "应付总额", "合计", "总计")),
                       g.amt(total + tax, True if g.chance(0.6) else None)))
    if g.chance(0.6):
        out.append(g.t((f"Bank: {g.pick(('Westmere Bank', 'Unity Bank', 'Northstar Bank'))}"
                        f"  Account {g.num(8)}  Sort code {g.num(2)}-{g.num(2)}-{g.num(2)}",
                        f"IBAN: GB{g.num(2)} NWBK {g.num(4)} {g.num(4)} {g.num(4)} {g.num(2)}",
                        f"Please pay by bank transfer to account {g.num(10)}",
                        f"BSB {g.num(3)}-{g.num(3)} Acc {g.num(8)}", "Cheques payable to "
                        + vendor), (f"开户行及账号：工商银行 {g.num(19)}", f"收款账号：{g.num(16)}",
                                    "收款人：" + g.person())))
    if g.chance(0.5):
        out.append(g.t(("Thank you for your business.", "Late payments incur 2% interest per "
                        "month.", "Please quote the invoice number with your payment.",
                        "PAID - thank you", "This is a computer generated invoice."),
                       ("开票人：" + g.person(), "复核：" + g.person(), "请于收到发票后30日内付款",
                        "本发票为电子发票")))
    return out


def bank_statement(g: Gen) -> list[str]:
    bank = g.t(("Westmere Bank", "Unity Savings Bank", "Northstar Credit Union",
                "Meridian Bank plc", "Coastal Federal Bank", "Kenanga Islamic Bank Berhad",
                "Evergreen Building Society", "Summit Trust Bank"),
               ("工商银行", "建设银行", "招商银行", "农业银行", "中国银行", "交通银行",
                "浦发银行", "台湾银行", "国泰世华银行", "汇丰银行"))
    out = [bank, g.t(("Statement of Account", "Account Statement", "Monthly Statement",
                      "Current Account Statement", "Savings account statement",
                      "Bank statement", "Credit card statement", "Transaction history"),
                     ("对账单", "账户对账单", "活期账户交易明细", "个人账户对账单",
                      "交易明细", "存款对账单", "信用卡对账单"))]
    if g.chance(0.3):
        out.reverse()
    out.append(g.t(("Account holder: ", "Name: ", "Customer: ", ""),
                   ("户名：", "客户姓名：", "账户名称：")) + g.person())
    if g.chance(0.5):
        out += g.address()
    out.append(g.t((f"Account number: {g.num(8)}", f"Account No. {g.num(3)}-{g.num(3)}-{g.num(4)}",
                    f"IBAN GB{g.num(2)} MERI {g.num(14)}", f"Card ending {g.num(4)}",
                    f"Account ****{g.num(4)}"),
                   (f"账号：{g.num(19)}", f"卡号：6222 **** **** {g.num(4)}",
                    f"账户：{g.num(16)}")))
    start = g.day(back=60)
    end = start + timedelta(days=30)
    out.append(g.t((f"Statement period: {g.date(start)} to {g.date(end)}",
                    f"Period {g.date(start)} - {g.date(end)}", f"From {g.date(start)} "
                    f"To {g.date(end)}", f"Statement date: {g.date(end)}"),
                   (f"起止日期：{g.date(start)} 至 {g.date(end)}", f"查询期间：{g.date(start)}-"
                    f"{g.date(end)}", f"账单日：{g.date(end)}")))
    balance = g.money(50, 20000)
    out.append(columns(g, g.t(("Opening balance", "Balance brought forward", "Beginning balance",
                               "Previous balance"), ("期初余额", "上期余额", "承前余额")),
                       g.amt(balance)))
    if g.chance(0.7):
        out.append(g.t(("Date  Description  Debit  Credit  Balance",
                        "Date Details Withdrawals Deposits Balance", "DATE TRANSACTION AMOUNT"),
                       ("交易日期 摘要 支出 存入 余额", "日期 交易类型 金额 余额 对方户名")))
    what_en = ("Salary credit", "POS purchase {shop}", "Card payment {shop}",
               "ATM withdrawal", "Transfer to savings", "Transfer from {person}",
               "Direct debit - electricity", "Standing order rent", "Interest paid",
               "Monthly account fee", "Cheque {n}", "Online payment {shop}", "Refund {shop}",
               "Mobile top-up", "Insurance premium", "Loan repayment")
    what_zh = ("工资", "转账 {person}", "消费 {shop}", "ATM取现", "利息", "手续费",
               "微信支付 {shop}", "支付宝 {shop}", "跨行转入", "房租", "水电费", "还款",
               "网上支付", "退款")
    day = start
    for _ in range(g.r.randint(3, 18)):
        day += timedelta(days=g.r.randint(0, 4))
        desc = g.pick(what_zh if g.zh else what_en).format(shop=g.company("shop"),
                                                           person=g.person(), n=g.num(4))
        v = g.money(2, 900) if g.chance(0.8) else g.money(500, 5000)
        credit = g.chance(0.25)
        balance += v if credit else -v
        short = g.date(day, None) if g.chance(0.6) else day.strftime(g.pick(("%d/%m", "%m/%d",
                                                                              "%d %b")))
        out.append(columns(g, short, desc, ("+" if credit and g.chance(0.5) else "") +
                           g.amt(v if credit else -v, False), g.amt(balance, False)
                           if g.chance(0.7) else ""))
    out.append(columns(g, g.t(("Closing balance", "Ending balance", "Balance carried forward",
                               "New balance"), ("期末余额", "本期余额", "结余")), g.amt(balance)))
    if g.chance(0.4):
        out.append(g.t(("Please examine this statement and report any discrepancy within 14 days.",
                        "Deposits are protected up to the insured limit.", "Page 1 of 2",
                        f"Minimum payment due {g.amt(g.money(25, 200))}"),
                       ("如有疑问请于15日内与本行联系", "第1页 共2页", "本对账单仅供参考")))
    return out


def payslip(g: Gen) -> list[str]:
    out = [g.company("firm"), g.t(("PAYSLIP", "Payslip", "Pay Statement", "Salary Slip",
                                   "Earnings Statement", "Pay Advice", "Salary statement",
                                   f"Payslip for {g.today:%B %Y}"),
                                  ("工资单", "工资条", "薪资单", "薪资明细", "员工工资单",
                                   f"{g.today.year}年{g.today.month}月工资条"))]
    info = [g.t(("Employee: ", "Name: ", "Employee name: "), ("姓名：", "员工姓名：")) + g.person(),
            g.t((f"Employee ID: E{g.num(4)}", f"Staff No: {g.num(5)}"), (f"工号：{g.num(5)}",
                                                                         f"员工编号：A{g.num(4)}")),
            g.t(("Department: Finance", "Dept: Operations", "Position: Technician",
                 "Job title: Nurse", "Department: Sales"), ("部门：财务部", "部门：研发部",
                                                            "岗位：销售", "部门：行政部")),
            g.t((f"Pay period: {g.date(g.day(back=30))} - {g.date()}", f"Pay date: {g.date()}",
                 f"Period ending {g.date()}"), (f"发放日期：{g.date()}", f"工资月份：{g.date()}",
                                                 f"计薪周期：{g.date(g.day(back=30))}至{g.date()}")),
            g.t((f"Tax code: {g.r.randint(1000, 1300)}L", f"NI number: QQ{g.num(6)}C",
                 f"EPF No: {g.num(8)}", f"SSN: ***-**-{g.num(4)}"), (f"身份证号：{g.num(6)}"
                                                                    f"********{g.num(4)}",))]
    out += g.some(info, 2, 5)
    basic = g.money(1500, 9000)
    earn = [(g.t(("Basic salary", "Basic pay", "Salary", "Regular hours"), ("基本工资", "岗位工资",
                                                                            "底薪")), basic)]
    for en, zh, lo, hi in (("Overtime", "加班费", 50, 800), ("Allowance", "交通补贴", 50, 500),
                           ("Bonus", "绩效奖金", 100, 3000), ("Commission", "提成", 50, 2000),
                           ("Meal allowance", "餐补", 30, 300)):
        if g.chance(0.4):
            earn.append((g.t((en,), (zh,)), g.money(lo, hi)))
    gross = sum((v for _, v in earn), Decimal(0))
    ded = []
    for en, zh, share in (("Income tax", "个人所得税", 0.12), ("PAYE tax", "个人所得税", 0.1),
                          ("National Insurance", "养老保险", 0.08), ("EPF", "住房公积金", 0.11),
                          ("SOCSO", "医疗保险", 0.02), ("Pension", "失业保险", 0.05),
                          ("Health insurance", "医疗保险", 0.03), ("Social Security", "劳保费",
                                                                   0.062)):
        if g.chance(0.45):
            ded.append((g.t((en,), (zh,)), (gross * Decimal(str(share))).quantize(Decimal("0.01"))))
    out.append(g.t(("EARNINGS", "Earnings", "Payments"), ("应发项目", "收入项目")))
    out += [columns(g, name, g.amt(v, False)) for name, v in earn]
    out.append(columns(g, g.t(("Gross pay", "Total earnings", "GROSS"), ("应发工资", "应发合计")),
                       g.amt(gross)))
    out.append(g.t(("DEDUCTIONS", "Deductions"), ("扣款项目", "代扣项目")))
    out += [columns(g, name, g.amt(v, False)) for name, v in ded]
    total_ded = sum((v for _, v in ded), Decimal(0))
    out.append(columns(g, g.t(("Total deductions", "Deductions total"), ("扣款合计",)),
                       g.amt(total_ded)))
    out.append(columns(g, g.t(("NET PAY", "Net pay", "Take home pay", "Net salary", "Amount paid"),
                              ("实发工资", "实发金额", "实发合计")),
                       g.amt(gross - total_ded, True)))
    if g.chance(0.4):
        out.append(g.t((f"Paid to account ****{g.num(4)}", f"YTD gross {g.amt(gross * 5)}",
                        f"Annual leave balance: {g.r.randint(1, 25)} days"),
                       (f"工资已转入尾号{g.num(4)}账户", f"年假余额：{g.r.randint(1, 15)}天")))
    return out


def tax_form(g: Gen) -> list[str]:
    """Year-end tax documents: wage statements, certificates, assessments, returns."""
    year = g.today.year - g.r.randint(1, 3)
    income = g.money(12000, 180000)
    withheld = (income * Decimal(str(round(g.r.uniform(0.08, 0.3), 2)))).quantize(Decimal("0.01"))
    owed = (withheld * Decimal(str(round(g.r.uniform(-0.2, 0.2), 2)))).quantize(Decimal("0.01"))
    out = [g.t((f"Form W-2 Wage and Tax Statement {year}", f"P60 End of Year Certificate {year}",
                f"Form 1099-NEC {year}", f"Notice of Assessment - Year of Assessment {year}",
                f"Individual Income Tax Return {year}", f"Tax Summary {year}-{year + 1 - 2000}",
                f"EA Form - Statement of Remuneration {year}", f"Form 1040 ({year})"),
               (f"{year}年度个人所得税纳税记录", "个人所得税完税证明",
                f"{year}年度综合所得年度汇算", "税收完税证明", "各类所得扣缴暨免扣缴凭单",
                f"{year}年度综合所得税结算申报书"))]
    info = [g.t(("Taxpayer: ", "Employee's name: ", "Name of taxpayer: ", "Payee: "),
                ("纳税人姓名：", "纳税人：", "所得人姓名：")) + g.person(),
            g.t((f"SSN: ***-**-{g.num(4)}", f"UTR: {g.num(5)} {g.num(5)}",
                 f"Tax file number: {g.num(3)} {g.num(3)} {g.num(3)}",
                 f"TIN: {g.num(9)}", f"National Insurance number: QQ{g.num(6)}C"),
                (f"纳税人识别号：{g.num(6)}********{g.num(4)}", f"身份证件号码：{g.num(8)}****",
                 f"统一编号：{g.num(8)}")),
            g.t((f"Employer: {g.company('firm')}", f"Payer: {g.company('firm')}",
                 f"Employer identification number (EIN): {g.num(2)}-{g.num(7)}"),
                (f"扣缴义务人：{g.company('firm')}", f"扣缴单位：{g.company('firm')}")),
            g.t((f"Tax year: {year}", f"Year ended 5 April {year}", f"Period: 01/01/{year} - "
                 f"31/12/{year}"),
                (f"所属期间：{year}年1月至{year}年12月", f"税款所属期：{year}年")),
            g.t(("Filing status: Single", "Tax code: 1257L", "Office: Central Tax Office"),
                ("主管税务机关：" + g.pick(("国家税务总局", "税务局第一分局")),
                 "申报方式：自行申报"))]
    out += g.some(info, 3, 5)
    rows = [(g.t(("Wages, tips, other compensation", "Total pay in this employment",
                  "Total income", "Gross income", "Chargeable income", "Employment income"),
                 ("收入额", "工资薪金所得", "综合所得收入额", "年度收入合计")), income),
            (g.t(("Federal income tax withheld", "Tax deducted", "Tax withheld",
                  "PAYE tax paid", "Income tax deducted"),
                 ("已缴税额", "已扣缴税额", "实缴(退)税额", "扣缴税额")), withheld)]
    if g.chance(0.6):
        rows.append((g.t(("Social security wages", "National Insurance contributions",
                          "Taxable income", "Allowances and reliefs"),
                         ("专项扣除", "减除费用", "专项附加扣除", "应纳税所得额")),
                     g.money(1000, 20000)))
    if g.chance(0.7):
        rows.append((g.t(("Refund due" if owed < 0 else "Balance due",
                          "Amount you owe" if owed > 0 else "Amount overpaid",
                          "Tax payable" if owed > 0 else "Tax refundable"),
                         ("应补税额" if owed > 0 else "应退税额", "应补(退)税额")), abs(owed)))
    for label, value in rows:
        out.append(columns(g, label, g.amt(value)))
    if g.chance(0.5):
        out.append(g.t(("Keep this certificate for your records.", "This is not a bill.",
                        "Copy B - To Be Filed With Employee's FEDERAL Tax Return",
                        "Please retain for your tax records"),
                       ("本凭证仅作为纳税人完税情况的证明", "请妥善保管", "此联交纳税人")))
    return out
