"""manage.py import_households FILE --county CODE [--dry-run] [--update]: the same job as the page, run here;
prints every error with its row number and exits non-zero when the file has errors."""
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core import jobs, uploads
from core.models import Region
from imports import services


class Command(BaseCommand):
    help = "批量导入家庭（与页面上的导入相同：先校验整个文件，有错误则不写入）"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--county", required=True, help="县（市、区）区划代码，如 410823")
        parser.add_argument("--dry-run", action="store_true", help="只校验，不写入")
        parser.add_argument("--update", action="store_true", help="已登记的家庭按文件更新所列字段")

    def handle(self, *args, file, county, dry_run, update, **options):
        try:
            region = Region.objects.get(code=county, level=Region.Level.COUNTY)
        except Region.DoesNotExist:
            raise CommandError(f"找不到县（市、区）区划代码 {county}") from None
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件 {file}")
        limits = services.limits()
        if path.stat().st_size > limits.max_bytes:
            raise CommandError(f"文件超过上限 {limits.max_bytes // 1024 // 1024} MB")
        try:
            job = services.import_request(actor=None, region=region, name=path.name, data=path.read_bytes(),
                                          dry_run=dry_run, mode="update" if update else "create", enqueue=False)
        except (ValidationError, uploads.UploadRefused) as exc:
            raise CommandError("；".join(exc.messages)) from None
        job = services.import_run(job.pk)
        for sheet, row, column, value, reason in job.errors:
            where = f"第{row}行" if row else "文件"
            self.stdout.write(f"{sheet} {where} {column}{'（' + value + '）' if value else ''}：{reason}")
        if job.error_count > len(job.errors):
            self.stdout.write(f"……共 {job.error_count} 处错误，仅列出前 {len(job.errors)} 处")
        summary = (f"读取 {job.rows_total} 行；{'将' if dry_run else ''}新增 {job.households_created} 户 "
                   f"{job.persons_created} 人，{'将' if dry_run else ''}更新 {job.households_updated} 户，"
                   f"跳过已登记 {job.households_skipped} 户")
        if job.status != jobs.JobStatus.SUCCEEDED:
            raise CommandError(f"{job.error or '导入未完成'}（{summary}）")
        self.stdout.write(self.style.SUCCESS(("试导入通过，未写入：" if dry_run else "导入完成：") + summary))
