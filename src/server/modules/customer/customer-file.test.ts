/** Reading uploaded customer files: the encoding of a CSV, Chinese and English headers, line numbers, XLSX. */
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeCsv, readCustomerFile } from './customer-file.js';
import { readRow, suggestMapping } from './customer-rows.js';

const CSV = '客户号,姓名,手机号,邮箱\nC001,张三,13812345678,zhang@example.com\n';

describe('customer files', () => {
  it('tells UTF-8 with a BOM, UTF-8 and GB18030 apart by the bytes', () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CSV)]);
    expect(decodeCsv(bom)).toEqual({ text: CSV, encoding: 'utf-8-bom' });
    expect(decodeCsv(Buffer.from(CSV))).toEqual({ text: CSV, encoding: 'utf-8' });
    const gbk = iconv.encode(CSV, 'gbk');
    expect(decodeCsv(gbk)).toEqual({ text: CSV, encoding: 'gb18030' });
  });

  it('numbers lines as a spreadsheet does, empty rows skipped but counted', async () => {
    const f = await readCustomerFile('c.csv', Buffer.from(`${CSV}\nC002,李四,,\n`));
    expect(f.header).toEqual(['客户号', '姓名', '手机号', '邮箱']);
    expect(f.rows.map((r) => r.line)).toEqual([2, 4]);
  });

  it('suggests the mapping from Chinese and English headers', () => {
    expect(
      suggestMapping([
        '客户号',
        '姓名',
        '手机',
        '邮箱',
        '身份证号',
        '银行卡号',
        '语言',
        '渠道',
        '营业部',
        '风险等级',
        '客户经理',
        '资金账号',
        '退订',
      ]),
    ).toEqual({
      customerNo: 0,
      name: 1,
      phone: 2,
      email: 3,
      idNumber: 4,
      bankCard: 5,
      language: 6,
      channel: 7,
      branch: 8,
      tier: 9,
      accountManager: 10,
      accounts: 11,
      optOuts: 12,
    });
    expect(
      suggestMapping(['Customer No', 'Name', 'Phone', 'E-mail', 'ID Number', 'Bank Card', 'Account Manager']),
    ).toEqual({
      customerNo: 0,
      name: 1,
      phone: 2,
      email: 3,
      idNumber: 4,
      bankCard: 5,
      accountManager: 6,
    });
  });

  it('reads a row through the mapping with every problem named', () => {
    const { change, problems } = readRow(
      ['', '王五', '12345', 'not-mail', '110101199003077718', '6222021234567890', '法语', 'fax;营销'],
      {
        customerNo: 0,
        name: 1,
        phone: 2,
        email: 3,
        idNumber: 4,
        bankCard: 5,
        language: 6,
        accounts: 7,
      },
    );
    expect(problems.map((p) => p.code)).toEqual([
      'missing_customer_no',
      'bad_phone',
      'bad_email',
      'bad_id_number',
      'bad_bank_card',
      'unknown_language',
      'bad_account',
    ]);
    expect(problems[1]!.message).toEqual({
      zh: expect.stringContaining('手机号'),
      en: expect.stringContaining('phone'),
    });
    expect(change.name).toBe('王五');
  });

  it('reads the first worksheet of an XLSX and refuses a file that only claims to be one', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('客户');
    ws.addRow(['客户号', '姓名', '手机号']);
    ws.addRow(['C001', '张三', '13812345678']);
    const f = await readCustomerFile('c.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(f).toMatchObject({
      encoding: 'xlsx',
      header: ['客户号', '姓名', '手机号'],
      rows: [{ line: 2, cells: ['C001', '张三', '13812345678'] }],
    });
    await expect(readCustomerFile('c.xlsx', Buffer.from('客户号,姓名\n'))).rejects.toMatchObject({ status: 422 });
    await expect(readCustomerFile('c.xlsx', Buffer.from('PK\u0003\u0004 not a zip at all'))).rejects.toMatchObject({
      status: 422,
    });
  });
});
