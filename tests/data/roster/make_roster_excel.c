/* Made tests/data/roster/roster_excel.xlsx once (libxlsxwriter 1.1.4), run from the repository root:
   gcc make_roster_excel.c $(pkg-config --cflags --libs xlsxwriter) && ./a.out
   Not part of the build. */
#include <xlsxwriter.h>
int main(void) {
    lxw_workbook* wb = workbook_new("tests/data/roster/roster_excel.xlsx");
    lxw_worksheet* ws = workbook_add_worksheet(wb, "党员名单");
    worksheet_write_string(ws, 0, 0, "第一党支部党员名单", NULL);          /* title row 1 */
    worksheet_write_string(ws, 2, 0, "序号", NULL);                        /* header row 3 */
    worksheet_write_string(ws, 2, 1, "姓　名", NULL);
    worksheet_write_string(ws, 2, 2, "工号", NULL);
    worksheet_write_string(ws, 2, 3, "备注", NULL);
    const char* names[] = {"张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆"};
    const char* notes[] = {"学习委员", NULL, "", "  退休  ", NULL, "财务科"};
    for (int i = 0; i < 6; ++i) {
        lxw_row_t r = (lxw_row_t)(3 + i + (i >= 3 ? 1 : 0));  /* blank row 7 */
        worksheet_write_number(ws, r, 0, i + 1, NULL);
        worksheet_write_string(ws, r, 1, names[i], NULL);
        if (i != 4) worksheet_write_number(ws, r, 2, 1001 + i, NULL);   /* 陈静 has no 工号 */
        if (notes[i] && notes[i][0]) worksheet_write_string(ws, r, 3, notes[i], NULL);
    }
    worksheet_write_number(ws, 10, 0, 7, NULL);  /* pre-numbered template row 11, no name */
    lxw_worksheet* ws2 = workbook_add_worksheet(wb, "Sheet2");
    worksheet_write_string(ws2, 0, 0, "不应读取", NULL);
    return workbook_close(wb);
}
