"""Make the small benchmark documents that small_docs.json asks about.

    .venv/bin/python bench/questions/make_small_docs.py [OUT_DIR]   (default /tmp/small-docs)

Every value is written out here (no randomness, no clock): the same files come out on
every run, byte for byte, because the Office files' zip entries and core properties get a
fixed timestamp. The files are not committed; the questions are, in small_docs.json.

Eight documents, the kinds business users upload:
  inventory.xlsx               stock by SKU and depot (sheets Stock, Depots)
  sales_2025.xlsx              monthly sales, months as columns (sheet Sales)
  price_list.csv               a supplier price list
  meeting_notes.md             meeting notes with headings and action items
  dogovor_postavki_cp1251.txt  a Russian supply agreement, cp1251, CRLF, hard-wrapped clauses
  travel_policy.docx           a policy with Heading 1/2 sections and a table
  akt_45.docx                  a Russian act of services rendered (акт) with a table
  consulting_agreement.txt     a short English services contract
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import sys
import textwrap
import zipfile
from pathlib import Path

FIXED_TIME = dt.datetime(2025, 3, 1, 9, 0, 0)
ZIP_TIME = (2025, 3, 1, 9, 0, 0)


def _freeze_zip(path: Path) -> None:
    """Rewrite an Office file with fixed entry timestamps so the bytes never change.

    openpyxl stamps dcterms:modified with the clock on save, so core.xml is pinned too.
    """
    with zipfile.ZipFile(path) as src:
        entries = [(info, src.read(info.filename)) for info in src.infolist()]
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    entries = [
        (info, re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>" + stamp + rb"\g<2>", data))
        if info.filename == "docProps/core.xml" else (info, data)
        for info, data in entries
    ]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in entries:
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, data)
    path.write_bytes(buf.getvalue())


# --------------------------------------------------------------------------- inventory

DEPOTS = [
    # depot, city, manager, phone
    ("Leeds North", "Leeds", "Priya Shah", "0113 496 0101"),
    ("Bristol Docks", "Bristol", "Tom Hughes", "0117 496 0202"),
    ("Glasgow East", "Glasgow", "Fiona MacLeod", "0141 496 0303"),
    ("Rotterdam Hub", "Rotterdam", "Joost de Vries", "+31 10 555 0404"),
]

PRODUCTS = [
    # sku, name, unit price (GBP)
    ("SKU-1001", "Nitrile gloves, box of 100", 6.85),
    ("SKU-1002", "Safety goggles, anti-fog", 4.25),
    ("SKU-1003", "Hi-vis vest, size L", 3.15),
    ("SKU-1004", "Steel toe boots, size 42", 48.90),
    ("SKU-1005", "Ear defenders, 31 dB", 12.35),
    ("SKU-1006", "Dust mask FFP2, pack of 10", 9.65),
    ("SKU-1007", "Hard hat, white", 7.45),
    ("SKU-1008", "First aid kit, 50 person", 36.75),
    ("SKU-1009", "Pallet wrap, 500 mm x 300 m", 11.95),
    ("SKU-1010", "Cable ties, 300 mm, pack of 100", 2.85),
    ("SKU-1011", "Packing tape, brown, 48 mm", 1.15),
    ("SKU-1012", "Cardboard box, double wall, 600 mm", 2.35),
    ("SKU-1013", "Label printer roll, 100 x 150 mm", 8.55),
    ("SKU-1014", "Hand truck, folding", 89.95),
]

# (sku index, depot index, quantity): 40 rows, each SKU in two to four depots.
STOCK = [
    (0, 0, 420), (0, 1, 180), (0, 2, 95), (0, 3, 610),
    (1, 0, 64), (1, 2, 130), (1, 3, 75),
    (2, 0, 310), (2, 1, 260), (2, 2, 140),
    (3, 0, 38), (3, 1, 22), (3, 3, 57),
    (4, 1, 90), (4, 2, 46),
    (5, 0, 505), (5, 1, 350), (5, 2, 275), (5, 3, 720),
    (6, 0, 112), (6, 2, 83),
    (7, 0, 14), (7, 1, 9), (7, 3, 21),
    (8, 1, 66), (8, 3, 240),
    (9, 0, 880), (9, 2, 415), (9, 3, 365),
    (10, 0, 1200), (10, 1, 960), (10, 3, 2150),
    (11, 1, 740), (11, 2, 515), (11, 3, 1830),
    (12, 0, 47), (12, 3, 88),
    (13, 0, 6), (13, 1, 3), (13, 2, 5),
]


def make_inventory(out: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Stock"
    ws.append(["SKU", "Product name", "Depot", "Quantity", "Unit price (GBP)"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for sku_i, depot_i, qty in STOCK:
        sku, name, price = PRODUCTS[sku_i]
        ws.append([sku, name, DEPOTS[depot_i][0], qty, price])
        ws.cell(row=ws.max_row, column=5).number_format = "0.00"
    for col, width in zip("ABCDE", (11, 36, 15, 10, 17)):
        ws.column_dimensions[col].width = width

    dep = wb.create_sheet("Depots")
    dep.append(["Depot", "City", "Manager", "Phone"])
    for cell in dep[1]:
        cell.font = Font(bold=True)
    for row in DEPOTS:
        dep.append(list(row))

    wb.properties.creator = "bench"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    path = out / "inventory.xlsx"
    wb.save(path)
    _freeze_zip(path)


# --------------------------------------------------------------------------- sales

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

SALES = [
    # region, product line, 12 monthly amounts (GBP)
    ("North", "Protective wear", [18450, 17920, 21300, 19875, 22140, 20600, 19310, 18760, 23480, 24905, 26110, 21740]),
    ("North", "Packaging", [9120, 8875, 10240, 9960, 11015, 10580, 9735, 9410, 12330, 12870, 14260, 13105]),
    ("South", "Protective wear", [15230, 14980, 16840, 17215, 18390, 17760, 16925, 16480, 19650, 20415, 21870, 18930]),
    ("South", "Packaging", [11480, 10935, 12760, 12310, 13580, 13045, 12290, 11870, 14720, 15340, 17605, 16220]),
    ("Scotland", "Protective wear", [7650, 7410, 8320, 8105, 8870, 8540, 8015, 7790, 9260, 9785, 10430, 8960]),
    ("Scotland", "Packaging", [4310, 4180, 4725, 4590, 5040, 4865, 4555, 4420, 5310, 5575, 6190, 5730]),
    ("Netherlands", "Protective wear", [12880, 12415, 13960, 13520, 14705, 14230, 13390, 12945, 15820, 16480, 17355, 15010]),
    ("Netherlands", "Packaging", [8040, 7790, 8915, 8630, 9480, 9155, 8570, 8260, 10110, 10545, 11920, 10875]),
]


def make_sales(out: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Sales"
    ws.append(["Sales by region and product line, 2025 (GBP)"])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(["Region", "Product line", *MONTHS, "Total 2025"])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for region, line, amounts in SALES:
        # The total is written as a value, not a formula: openpyxl stores no cached result.
        ws.append([region, line, *amounts, sum(amounts)])
        for col in range(3, 16):
            ws.cell(row=ws.max_row, column=col).number_format = "#,##0"
    totals = [sum(r[2][m] for r in SALES) for m in range(12)]
    ws.append(["All regions", "All lines", *totals, sum(totals)])
    for col in range(1, 16):
        cell = ws.cell(row=ws.max_row, column=col)
        cell.font = Font(bold=True)
        if col >= 3:
            cell.number_format = "#,##0"
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 17

    wb.properties.creator = "bench"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    path = out / "sales_2025.xlsx"
    wb.save(path)
    _freeze_zip(path)


# --------------------------------------------------------------------------- price list

PRICES = [
    # code, description, unit, price (EUR), minimum order
    ("PL-201", "Corrugated box 300x200x150", "pcs", "0.48", "500"),
    ("PL-202", "Corrugated box 400x300x200", "pcs", "0.72", "500"),
    ("PL-203", "Corrugated box 600x400x400", "pcs", "1.36", "250"),
    ("PL-204", "Mailer bag 250x350, grey", "pcs", "0.09", "1000"),
    ("PL-205", "Mailer bag 400x500, grey", "pcs", "0.14", "1000"),
    ("PL-206", "Bubble wrap roll 500 mm x 100 m", "roll", "18.90", "10"),
    ("PL-207", "Bubble wrap roll 1000 mm x 100 m", "roll", "34.50", "5"),
    ("PL-208", "Stretch film 23 mic, 500 mm x 300 m", "roll", "9.80", "24"),
    ("PL-209", "Stretch film 17 mic, 450 mm x 270 m", "roll", "7.25", "24"),
    ("PL-210", "Packing tape PP 48 mm x 66 m, clear", "roll", "0.95", "72"),
    ("PL-211", "Packing tape PP 48 mm x 66 m, brown", "roll", "0.95", "72"),
    ("PL-212", "Paper tape, water-activated, 70 mm", "roll", "4.60", "20"),
    ("PL-213", "Void fill paper, 15 kg bundle", "bundle", "27.40", "4"),
    ("PL-214", "Loose fill chips, 400 l bag", "bag", "21.15", "2"),
    ("PL-215", "Pallet, EUR, heat treated", "pcs", "11.80", "20"),
    ("PL-216", "Pallet collar, 1200x800", "pcs", "14.20", "10"),
    ("PL-217", "Corner board 35x35x1200", "pcs", "0.31", "200"),
    ("PL-218", "Strapping PP 12 mm x 3000 m", "coil", "23.70", "4"),
    ("PL-219", "Strapping seals 13 mm, box of 2000", "box", "16.40", "1"),
    ("PL-220", "Shipping labels 100x150, 500/roll", "roll", "5.85", "10"),
    ("PL-221", "Document pouch A5, printed", "pcs", "0.06", "1000"),
    ("PL-222", "Tape dispenser, 50 mm, hand-held", "pcs", "6.90", "1"),
]


def make_price_list(out: Path) -> None:
    with (out / "price_list.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "description", "unit", "price_eur", "min_order_qty"])
        w.writerows(PRICES)


# --------------------------------------------------------------------------- meeting notes

MEETING_NOTES = """\
# Weekly operations meeting — 14 March 2025

Location: Leeds North depot, room 2 (and Teams)
Chair: Priya Shah
Minutes: Daniel Okafor

## Attendees

- Priya Shah (Operations)
- Tom Hughes (Bristol Docks)
- Fiona MacLeod (Glasgow East)
- Joost de Vries (Rotterdam Hub, remote)
- Daniel Okafor (Finance)

## 1. Stock levels

Hand trucks (SKU-1014) are nearly out of stock in every depot. Bristol has only 3 left.
Tom reported that the February delivery from the supplier arrived 9 days late.

## 2. Carrier contract

The current carrier contract ends on 30 April 2025. Two offers were reviewed:
Northline Freight quoted £1.84 per parcel and FastTrack Logistics quoted £1.97 per parcel.

**Decision:** renew with Northline Freight for 12 months, subject to a 48-hour delivery SLA.

## 3. Budget

Daniel confirmed the Q2 packaging budget of £42,500. Any order above £5,000 needs
sign-off from the Finance lead.

## Action items

| # | Action | Owner | Due |
|---|--------|-------|-----|
| 1 | Place an urgent order for 40 hand trucks | Tom Hughes | 18 March 2025 |
| 2 | Send the signed renewal to Northline Freight | Priya Shah | 28 March 2025 |
| 3 | Update the stock-count procedure for Glasgow East | Fiona MacLeod | 4 April 2025 |
| 4 | Prepare the Q2 budget report | Daniel Okafor | 11 April 2025 |

## Next meeting

Friday 21 March 2025, 10:00, Bristol Docks (and Teams).
"""


def make_meeting_notes(out: Path) -> None:
    (out / "meeting_notes.md").write_text(MEETING_NOTES, encoding="utf-8", newline="\n")


# --------------------------------------------------------------------------- supply agreement (ru, cp1251)

DOGOVOR_TITLE = [
    "ДОГОВОР ПОСТАВКИ № 17/2025",
    "",
    "г. Екатеринбург                                          «10» февраля 2025 г.",
    "",
]

DOGOVOR_PARAGRAPHS = [
    "Общество с ограниченной ответственностью «УралТара» (ООО «УралТара»), именуемое в дальнейшем "
    "«Поставщик», в лице генерального директора Лебедева Андрея Викторовича, действующего на основании "
    "Устава, с одной стороны, и Акционерное общество «СеверМет» (АО «СеверМет»), именуемое в дальнейшем "
    "«Покупатель», в лице директора по закупкам Корниловой Елены Сергеевны, действующей на основании "
    "доверенности № 12-д от 09.01.2025, с другой стороны, заключили настоящий Договор о нижеследующем.",
    "",
    "1. ПРЕДМЕТ ДОГОВОРА",
    "1.1. Поставщик обязуется поставить, а Покупатель принять и оплатить гофрокартонную тару и упаковочные "
    "материалы (далее – Товар) в ассортименте, количестве и по ценам, указанным в Спецификации "
    "(Приложение № 1), являющейся неотъемлемой частью Договора.",
    "1.2. Общая стоимость Товара по Договору составляет 1 284 600,00 (один миллион двести восемьдесят "
    "четыре тысячи шестьсот) рублей, в том числе НДС 20% – 214 100,00 рублей.",
    "",
    "2. СРОКИ И ПОРЯДОК ПОСТАВКИ",
    "2.1. Поставка Товара осуществляется партиями по заявкам Покупателя. Срок поставки каждой партии – "
    "не позднее 7 (семи) рабочих дней с даты получения заявки Поставщиком.",
    "2.2. Доставка Товара осуществляется транспортом Поставщика и за его счёт на склад Покупателя по "
    "адресу: 620102, г. Екатеринбург, ул. Монтажников, д. 4, склад № 3.",
    "2.3. Товар передаётся по универсальному передаточному документу (УПД). Право собственности и риск "
    "случайной гибели Товара переходят к Покупателю с момента подписания УПД.",
    "",
    "3. ЦЕНА И ПОРЯДОК РАСЧЁТОВ",
    "3.1. Покупатель оплачивает каждую партию Товара в течение 20 (двадцати) календарных дней с даты "
    "подписания УПД путём перечисления денежных средств на расчётный счёт Поставщика.",
    "3.2. Предоплата по Договору не предусмотрена. Цена Товара фиксируется в Спецификации и не подлежит "
    "изменению в течение срока действия Договора.",
    "",
    "4. КАЧЕСТВО И ПРИЁМКА",
    "4.1. Качество Товара должно соответствовать ГОСТ Р 52901-2007. Приёмка по количеству и качеству "
    "производится Покупателем в течение 3 (трёх) рабочих дней с момента поступления Товара на склад.",
    "4.2. При обнаружении недостатков Покупатель направляет Поставщику претензию, а Поставщик обязан "
    "заменить некачественный Товар в течение 10 (десяти) рабочих дней с даты получения претензии.",
    "",
    "5. ОТВЕТСТВЕННОСТЬ СТОРОН",
    "5.1. За просрочку поставки Поставщик уплачивает Покупателю неустойку в размере 0,1% от стоимости "
    "недопоставленного Товара за каждый день просрочки, но не более 10% от стоимости партии.",
    "5.2. За просрочку оплаты Покупатель уплачивает Поставщику пени в размере 0,05% от неоплаченной суммы "
    "за каждый день просрочки.",
    "",
    "6. РАЗРЕШЕНИЕ СПОРОВ",
    "6.1. Претензионный порядок обязателен, срок ответа на претензию – 15 (пятнадцать) календарных дней. "
    "Неурегулированные споры передаются в Арбитражный суд Свердловской области.",
    "",
    "7. СРОК ДЕЙСТВИЯ ДОГОВОРА",
    "7.1. Договор вступает в силу с даты подписания и действует до 31 декабря 2025 г. Если ни одна из "
    "Сторон не заявит о его прекращении за 30 (тридцать) дней до окончания срока, Договор считается "
    "продлённым на каждый следующий календарный год.",
    "",
    "8. РЕКВИЗИТЫ И ПОДПИСИ СТОРОН",
    "Поставщик: ООО «УралТара», ИНН 6658123456, КПП 665801001, р/с 40702810916540012345 в Уральском банке "
    "ПАО Сбербанк, БИК 046577674.",
    "Покупатель: АО «СеверМет», ИНН 6671987654, КПП 667101001, р/с 40702810500000004321 в АО «Банк Урал», "
    "БИК 046577999.",
    "",
    "Генеральный директор ООО «УралТара» ____________ А.В. Лебедев",
    "Директор по закупкам АО «СеверМет» ____________ Е.С. Корнилова",
]


def dogovor_lines() -> list[str]:
    """The agreement as lines: each paragraph hard-wrapped at 72 columns (manual line breaks)."""
    lines = list(DOGOVOR_TITLE)
    for para in DOGOVOR_PARAGRAPHS:
        if not para:
            lines.append("")
            continue
        lines.extend(textwrap.wrap(para, width=72, break_long_words=False, break_on_hyphens=False))
    return lines


def make_dogovor(out: Path) -> None:
    text = "\r\n".join(dogovor_lines()) + "\r\n"
    (out / "dogovor_postavki_cp1251.txt").write_bytes(text.encode("cp1251"))


# --------------------------------------------------------------------------- travel policy (docx)

PER_DIEM = [
    # city, hotel cap per night, meals per day, currency
    ("London", "180", "55", "GBP"),
    ("Manchester", "120", "45", "GBP"),
    ("Edinburgh", "135", "45", "GBP"),
    ("Amsterdam", "190", "60", "EUR"),
    ("Rotterdam", "150", "55", "EUR"),
    ("Other UK cities", "100", "40", "GBP"),
]


def make_policy(out: Path) -> None:
    import docx

    d = docx.Document()
    d.core_properties.author = "bench"
    d.core_properties.created = FIXED_TIME
    d.core_properties.modified = FIXED_TIME
    d.core_properties.last_modified_by = "bench"
    d.core_properties.revision = 1

    d.add_heading("Travel and Expenses Policy", level=0)
    d.add_paragraph("Policy owner: Finance. Version 3.2, effective 1 April 2025.")

    d.add_heading("1. Scope", level=1)
    d.add_paragraph(
        "This policy applies to all employees and contractors who travel on company business. "
        "It replaces version 3.1 of 1 June 2023."
    )

    d.add_heading("2. Booking travel", level=1)
    d.add_heading("2.1 Approval", level=2)
    d.add_paragraph(
        "Every trip must be approved in advance by the employee's line manager. Trips costing more "
        "than £2,000 in total also need approval from the Finance Director."
    )
    d.add_heading("2.2 Air and rail", level=2)
    d.add_paragraph(
        "Economy class is the standard for all flights. Business class is allowed only for flights "
        "longer than 6 hours. Rail travel is standard class; first class is allowed when booked at "
        "least 7 days ahead and cheaper than the flexible standard fare."
    )

    d.add_heading("3. Accommodation and meals", level=1)
    d.add_heading("3.1 Hotel and meal limits", level=2)
    d.add_paragraph("Hotel costs and meal allowances must not exceed the limits below.")
    table = d.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("City", "Hotel cap per night", "Meals per day", "Currency")):
        cell.text = text
    for row in PER_DIEM:
        cells = table.add_row().cells
        for cell, text in zip(cells, row):
            cell.text = text
    d.add_heading("3.2 Alcohol and extras", level=2)
    d.add_paragraph(
        "Alcohol, minibar items, in-room films and laundry for stays shorter than 5 nights are not reimbursed."
    )

    d.add_heading("4. Expense claims", level=1)
    d.add_paragraph(
        "Claims must be submitted in the expenses system within 30 days of returning from the trip, "
        "with an itemised receipt for every item above £25. Claims submitted after 90 days are not paid."
    )
    d.add_paragraph("Approved claims are reimbursed with the next monthly payroll.")

    d.add_heading("5. Mileage", level=1)
    d.add_paragraph(
        "Use of a private car is reimbursed at 45p per mile for the first 10,000 business miles in a "
        "tax year and 25p per mile after that."
    )

    path = out / "travel_policy.docx"
    d.save(path)
    _freeze_zip(path)


# --------------------------------------------------------------------------- act of services (ru docx)

AKT_ROWS = [
    # №, наименование, кол-во, ед., цена, сумма
    ("1", "Техническое обслуживание системы видеонаблюдения (февраль 2025 г.)", "1", "мес.", "38 500,00", "38 500,00"),
    ("2", "Выезд инженера для внеплановой диагностики", "3", "выезд", "4 200,00", "12 600,00"),
    ("3", "Замена видеокамеры (работы)", "2", "шт.", "2 750,00", "5 500,00"),
    ("4", "Настройка видеорегистратора и резервного копирования архива", "1", "усл.", "6 800,00", "6 800,00"),
]


def make_akt(out: Path) -> None:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    d = docx.Document()
    d.core_properties.author = "bench"
    d.core_properties.created = FIXED_TIME
    d.core_properties.modified = FIXED_TIME
    d.core_properties.last_modified_by = "bench"
    d.core_properties.revision = 1

    title = d.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run("АКТ № 45 от 28 февраля 2025 г.")
    run.bold = True
    sub = d.add_paragraph("об оказании услуг")
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER

    d.add_paragraph(
        "Исполнитель: ООО «ТехноЩит», ИНН 7802456789, КПП 780201001, 194044, г. Санкт-Петербург, "
        "Лесной пр., д. 19, корп. 2, оф. 305, тел. (812) 407-11-22"
    )
    d.add_paragraph(
        "Заказчик: ГБОУ СОШ № 118, ИНН 7804112233, КПП 780401001, 195009, г. Санкт-Петербург, "
        "ул. Михайлова, д. 7"
    )
    d.add_paragraph("Основание: Договор № ТО-07/2025 от 09.01.2025")

    table = d.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("№", "Наименование работ, услуг", "Кол-во", "Ед.", "Цена, руб.", "Сумма, руб.")):
        cell.text = text
    for row in AKT_ROWS:
        cells = table.add_row().cells
        for cell, text in zip(cells, row):
            cell.text = text

    d.add_paragraph("Итого: 63 400,00 руб.")
    d.add_paragraph("В том числе НДС (20%): 10 566,67 руб.")
    d.add_paragraph("Всего оказано услуг 4, на сумму 63 400,00 руб.")
    d.add_paragraph("Шестьдесят три тысячи четыреста рублей 00 копеек")
    d.add_paragraph(
        "Вышеперечисленные услуги выполнены полностью и в срок. Заказчик претензий по объему, качеству "
        "и срокам оказания услуг не имеет."
    )
    d.add_paragraph("Исполнитель: Генеральный директор ООО «ТехноЩит» ____________ Смирнов П.А.")
    d.add_paragraph("Заказчик: Директор ГБОУ СОШ № 118 ____________ Воронцова Н.И.")

    path = out / "akt_45.docx"
    d.save(path)
    _freeze_zip(path)


# --------------------------------------------------------------------------- consulting agreement (en txt)

CONSULTING = """\
CONSULTING SERVICES AGREEMENT

This Consulting Services Agreement (the "Agreement") is made on 3 February 2025 between
Harbour Analytics Ltd, a company registered in England and Wales under number 09876543,
whose registered office is at 12 Quay Street, Bristol BS1 4DJ (the "Client"), and
Marta Kowalska, trading as MK Data Consulting, of 7 Elm Grove, Bath BA2 3PT (the "Consultant").

1. SERVICES
1.1 The Consultant will design and deliver a demand-forecasting model for the Client's
warehouse network, as described in Schedule 1.

2. TERM
2.1 This Agreement starts on 10 February 2025 and ends on 31 July 2025, unless terminated
earlier under clause 6.

3. FEES AND PAYMENT
3.1 The Client will pay the Consultant a day rate of £650, excluding VAT, for up to
60 days of work. Days above that cap need the Client's prior written approval.
3.2 The Consultant will invoice monthly in arrears. Invoices are payable within 30 days
of receipt.
3.3 Reasonable travel expenses are reimbursed at cost, up to £1,500 in total.

4. CONFIDENTIALITY
4.1 Each party will keep the other's confidential information secret during the term
and for 3 years after it ends.

5. INTELLECTUAL PROPERTY
5.1 All models, code and reports produced under this Agreement belong to the Client on
payment of the relevant invoice.

6. TERMINATION
6.1 Either party may terminate this Agreement by giving 30 days' written notice.
6.2 The Client may terminate immediately if the Consultant materially breaches this
Agreement and does not remedy the breach within 14 days of being asked to.

7. GOVERNING LAW
7.1 This Agreement is governed by the law of England and Wales, and the courts of
England and Wales have exclusive jurisdiction.

Signed for Harbour Analytics Ltd: Oliver Grant, Director
Signed by the Consultant: Marta Kowalska
"""


def make_consulting(out: Path) -> None:
    (out / "consulting_agreement.txt").write_text(CONSULTING, encoding="utf-8", newline="\n")


# --------------------------------------------------------------------------- main

MAKERS = [
    make_inventory,
    make_sales,
    make_price_list,
    make_meeting_notes,
    make_dogovor,
    make_policy,
    make_akt,
    make_consulting,
]


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path("/tmp/small-docs")
    out.mkdir(parents=True, exist_ok=True)
    for make in MAKERS:
        make(out)
    for path in sorted(out.iterdir()):
        print(f"{path.stat().st_size:8d}  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
