import { CallHandler, ExecutionContext, Injectable, NestInterceptor, StreamableFile } from '@nestjs/common';
import type { Request, Response } from 'express';
import { from, mergeMap, Observable } from 'rxjs';
import { TemporalStore, ViewQueries } from '@reform-ledger/projections';
import { CSV_TYPE, readRegistry, SHEETS, toCsv, toXlsx, ViewSheets, XLSX_TYPE } from '@reform-ledger/reports';
import { Problem } from '../problem';

const FORMATS = ['xlsx', 'csv'];

/**
 * `?format=xlsx|csv` on every read route that has a spreadsheet (SHEETS, by route path): the route
 * answers as usual (same cut, same checks), then its answer is written as a workbook or a CSV, with
 * unit names at the answer's own cut. Without `format`, nothing changes. Registered app-wide, so the
 * view routes need no change of their own.
 */
@Injectable()
export class SheetFormatInterceptor implements NestInterceptor {
  constructor(
    private readonly queries: ViewQueries,
    private readonly store: TemporalStore,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    const format = req.query?.format;
    const sheets = req.method === 'GET' ? SHEETS[req.route?.path as string] : undefined;
    if (format === undefined || !sheets) return next.handle();
    if (typeof format !== 'string' || !FORMATS.includes(format)) {
      throw new Problem(400, 'request.invalid', 'Định dạng không được hỗ trợ', [{ field: 'format', reason: 'phải là xlsx hoặc csv (bỏ trống: JSON)' }]);
    }
    const res = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(mergeMap((answer) => from(this.write(answer, sheets, format, res))));
  }

  private async write(answer: { cut: ViewSheets['cut'] }, sheets: (typeof SHEETS)[string], format: string, res: Response) {
    const registry = await readRegistry({ queries: this.queries, store: this.store }, { asOf: answer.cut.asOf ?? undefined, position: answer.cut.position });
    const book = sheets(answer, (id) => registry.units.get(id)?.name ?? id);
    const body = format === 'xlsx' ? await toXlsx(book) : toCsv(book);
    res.setHeader('X-Report-Cut', JSON.stringify(answer.cut));
    return new StreamableFile(body, {
      type: format === 'xlsx' ? XLSX_TYPE : CSV_TYPE,
      disposition: `attachment; filename="${book.file}.${format}"`,
      length: body.length,
    });
  }
}
