import { CallHandler, ExecutionContext, Injectable, NestInterceptor, StreamableFile } from '@nestjs/common';
import type { Request, Response } from 'express';
import { from, mergeMap, Observable, of } from 'rxjs';
import { registryView, unitNames, ViewReader } from '@reform-ledger/projections';
import { CSV_TYPE, SheetFormat, SHEETS, toCsv, toXlsx, ViewSheets, XLSX_TYPE } from '@reform-ledger/reports';
import type { ParsedQuery } from '../query-params';

/**
 * `?format=xlsx|csv` on every read route that has a spreadsheet (SHEETS, by route path): the route
 * answers as usual (same cut, same checks), then its answer is written as a workbook or a CSV, with
 * unit names at the answer's own cut. `format` is a parameter of every read route (VIEW_READ), parsed
 * and checked with the others by QueryParamsInterceptor; without it (or with json) nothing changes.
 * Registered app-wide, so the view routes need no change of their own.
 */
@Injectable()
export class SheetFormatInterceptor implements NestInterceptor {
  constructor(private readonly reader: ViewReader) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request & { parsedQuery?: ParsedQuery }>();
    const sheets = req.method === 'GET' ? SHEETS[req.route?.path as string] : undefined;
    if (!sheets) return next.handle();
    const res = context.switchToHttp().getResponse<Response>();
    // The query has been parsed by the time the route answers.
    return next.handle().pipe(mergeMap((answer) => {
      const format = req.parsedQuery?.format;
      return format === undefined || format === 'json' ? of(answer) : from(this.write(answer, sheets, format, res));
    }));
  }

  private async write(answer: { cut: ViewSheets['cut'] }, sheets: (typeof SHEETS)[string], format: SheetFormat, res: Response) {
    const at = await this.reader.at([registryView], { asOf: answer.cut.asOf ?? undefined, position: answer.cut.position });
    const names = await unitNames(at);
    const book = sheets(answer, (id) => names.get(id) ?? id);
    const body = format === 'xlsx' ? await toXlsx(book) : toCsv(book);
    res.setHeader('X-Report-Cut', JSON.stringify(answer.cut));
    return new StreamableFile(body, {
      type: format === 'xlsx' ? XLSX_TYPE : CSV_TYPE,
      disposition: `attachment; filename="${book.file}.${format}"`,
      length: body.length,
    });
  }
}
