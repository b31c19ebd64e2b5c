#!/usr/bin/env python3
"""Writes the hand-made .xlsx test files of tests/core/test_roster.cpp (run once, from the
repository root: python3 tests/data/roster/make_xlsx.py). Each exercises a part of OOXML that
libxlsxwriter does not write: prefixed namespaces, a hidden first sheet, relationship
targets that are not the default names, inline strings, rich text, phonetic runs, cells
without references, _xHHHH_ escapes, formula strings, numbers in exponent form. Not part of
the build. The hostile_* files are budget tests (docs/threat-model.md, "Hostile input")."""

import zipfile

OUT = "tests/data/roster/"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

CONTENT_TYPES = HEAD + (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '</Types>')
ROOT_RELS = HEAD + (
    f'<Relationships xmlns="{PKG}">'
    f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
    '</Relationships>')


def write(name, parts, stored=False):
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(OUT + name, "w", method) as z:
        for path, text in parts.items():
            info = zipfile.ZipInfo(path, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = method
            z.writestr(info, text.encode("utf-8") if isinstance(text, str) else text)


def handmade():
    workbook = HEAD + (
        f'<x:workbook xmlns:x="{MAIN}" xmlns:r="{REL}"><x:sheets>'
        '<x:sheet name="旧表" sheetId="1" state="hidden" r:id="rId1"/>'
        '<x:sheet name="名单" sheetId="2" r:id="rId2"/>'
        '</x:sheets></x:workbook>')
    rels = HEAD + (
        f'<Relationships xmlns="{PKG}">'
        f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{REL}/worksheet" Target="/xl/worksheets/roster.xml"/>'
        f'<Relationship Id="rId3" Type="{REL}/sharedStrings" Target="strings.xml"/>'
        '</Relationships>')
    strings = HEAD + (
        f'<x:sst xmlns:x="{MAIN}" count="7" uniqueCount="7">'
        '<x:si><x:t>姓名</x:t></x:si>'                                               # 0
        '<x:si><x:r><x:t>王</x:t></x:r><x:r><x:rPr><x:b/></x:rPr><x:t>芳</x:t></x:r></x:si>'  # 1
        '<x:si><x:t>张伟</x:t><x:rPh sb="0" eb="2"><x:t>ちょう</x:t></x:rPh></x:si>'   # 2
        '<x:si><x:t>编号</x:t></x:si>'                                               # 3
        '<x:si><x:t>备注</x:t></x:si>'                                               # 4
        '<x:si><x:t>第一行_x000D__x000A_第二行</x:t></x:si>'                           # 5
        '<x:si><x:t xml:space="preserve"> 学习委员 </x:t></x:si>'                      # 6
        '</x:sst>')
    sheet = HEAD + (
        f'<x:worksheet xmlns:x="{MAIN}" xmlns:r="{REL}"><x:sheetData>'
        # row 1: header 编号 | 姓名 | (no cell C) | 备注
        '<x:row r="1"><x:c r="A1" t="s"><x:v>3</x:v></x:c><x:c r="B1" t="s"><x:v>0</x:v></x:c>'
        '<x:c r="D1" t="s"><x:v>4</x:v></x:c></x:row>'
        # row 2: 1001 | 张伟 (phonetic run dropped) | | " 学习委员 "
        '<x:row r="2"><x:c r="A2"><x:v>1001</x:v></x:c><x:c r="B2" t="s"><x:v>2</x:v></x:c>'
        '<x:c r="D2" t="s"><x:v>6</x:v></x:c></x:row>'
        # row 3: 1.002E3 | 王芳 (rich text) | | note with _x000D__x000A_
        '<x:row r="3"><x:c r="A3" t="n"><x:v>1.002E3</x:v></x:c><x:c r="B3" t="s"><x:v>1</x:v></x:c>'
        '<x:c r="D3" t="s"><x:v>5</x:v></x:c></x:row>'
        # row 5 (row 4 absent): cells without r attributes, inline strings, rich inline text
        '<x:row r="5"><x:c t="inlineStr"><x:is><x:t>A-17</x:t></x:is></x:c>'
        '<x:c t="inlineStr"><x:is><x:r><x:t>李</x:t></x:r><x:r><x:t>娜</x:t></x:r></x:is></x:c></x:row>'
        # row without r: number 6; formula string, inline name, unnamed column C, number note
        '<x:row><x:c r="A6" t="str"><x:f>"F-"&amp;1</x:f><x:v>F-1</x:v></x:c>'
        '<x:c r="B6" t="inlineStr"><x:is><x:t>刘洋</x:t></x:is></x:c>'
        '<x:c r="C6" t="inlineStr"><x:is><x:t>无表头的列</x:t></x:is></x:c>'
        '<x:c r="D6"><x:v>3.5</x:v></x:c></x:row>'
        '</x:sheetData></x:worksheet>')
    decoy = HEAD + (
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr">'
        '<is><t>不应读取</t></is></c></row></sheetData></worksheet>')
    write("roster_handmade.xlsx", {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": workbook,
        "xl/_rels/workbook.xml.rels": rels,
        "xl/strings.xml": strings,
        "xl/worksheets/sheet1.xml": decoy,
        "xl/worksheets/roster.xml": sheet,
    })


def bad_files():
    # A zip archive, but no workbook in it.
    write("not_a_workbook.xlsx", {"readme.txt": "这不是工作簿"})
    # A DTD with an entity: refused before any expansion.
    bomb = HEAD + (
        '<!DOCTYPE worksheet [<!ENTITY a "张伟张伟张伟张伟">]>'
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr">'
        '<is><t>&a;</t></is></c></row></sheetData></worksheet>')
    write("doctype.xlsx", {"[Content_Types].xml": CONTENT_TYPES,
                           "xl/worksheets/sheet1.xml": bomb})
    # Stored (uncompressed) so that one changed byte of the sheet fails the CRC check.
    sheet = HEAD + (
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr">'
        '<is><t>陈静</t></is></c></row></sheetData></worksheet>')
    path = OUT + "bad_crc.xlsx"
    write("bad_crc.xlsx", {"[Content_Types].xml": CONTENT_TYPES,
                           "xl/worksheets/sheet1.xml": sheet}, stored=True)
    data = bytearray(open(path, "rb").read())
    at = data.index("陈静".encode("utf-8"))
    data[at:at + 6] = "杨帆".encode("utf-8")
    open(path, "wb").write(bytes(data))


def hostile_files():
    # One shared string of 1 MiB referenced by 200 cells: 200 MiB if every cell copied it.
    strings = HEAD + f'<sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>{"张" * (1 << 18)}</t></si></sst>'
    cells = "".join(f'<row r="{r + 1}">' + "".join(f'<c t="s"><v>0</v></c>' for _ in range(20)) + "</row>"
                    for r in range(10))
    sheet = HEAD + f'<worksheet xmlns="{MAIN}"><sheetData>{cells}</sheetData></worksheet>'
    write("hostile_shared.xlsx", {"[Content_Types].xml": CONTENT_TYPES,
                                  "xl/sharedStrings.xml": strings,
                                  "xl/worksheets/sheet1.xml": sheet})
    # 200,000 rows of one tiny cell: stopped long before the end, not parsed to the last.
    rows = '<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 200000
    write("hostile_rows.xlsx", {"[Content_Types].xml": CONTENT_TYPES,
                                "xl/worksheets/sheet1.xml": HEAD + f'<worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>'})


if __name__ == "__main__":
    handmade()
    bad_files()
    hostile_files()
