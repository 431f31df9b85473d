"""Every error zqcampaign raises on purpose lives in zqcampaign.errors, is a ZqError, is
exported from the package, and survives pickling (as it must, raised in a worker process)."""

from __future__ import annotations

import pickle

import pytest

import zqcampaign as zq
from zqcampaign import errors

CLASSES = [getattr(errors, name) for name in errors.__all__]


def _example(cls: type[errors.ZqError]) -> errors.ZqError:
    if issubclass(cls, errors.LedgerError):
        return cls("2023-08/四会市.xlsx", "第 3 行无法解析")
    if cls is errors.ConfigError:
        return cls("targets.signed", "应为 0 到 1 之间的数", file="zqcampaign.toml")
    if cls is errors.OutputError:
        return cls("out/issues.xlsx", "磁盘空间不足，请清理磁盘或换一个位置输出")
    if cls is errors.NoProjectError:
        return cls("统计完成情况", ["四会市.xlsx：encrypted_file"], 1)
    return cls("未找到中文字体：请安装 pylopdf-fonts-zh-cn")


def test_every_class_is_a_zq_error_exported_from_the_package():
    assert len(CLASSES) == 16
    for cls in CLASSES:
        assert issubclass(cls, errors.ZqError), cls
        assert getattr(zq, cls.__name__) is cls
        assert cls.__name__ in zq.__all__


def test_moved_classes_keep_their_old_bases():
    assert issubclass(errors.UnsafeFileError, errors.UnreadableFileError)
    assert issubclass(errors.ReaderTimeoutError, errors.ReaderCrashError)
    assert issubclass(errors.OutputError, OSError)
    assert issubclass(errors.FontNotFoundError, RuntimeError)  # was a bare RuntimeError
    from zqcampaign.charts import fonts
    from zqcampaign.output import atomic

    assert atomic.OutputError is errors.OutputError  # raised there, defined in errors
    assert fonts.FontNotFoundError is errors.FontNotFoundError


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_error_survives_pickling_with_its_message_and_fields(cls):
    error = _example(cls)
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is cls
    assert str(again) == str(error)
    assert vars(again) == vars(error)


def test_ledger_error_with_its_own_advice_keeps_it_through_pickling():
    error = errors.UnreadableFileError("a.xlsx", "坏了", advice="请重新导出。")
    again = pickle.loads(pickle.dumps(error))
    assert (
        again.advice == "请重新导出。" and str(again) == "文件 a.xlsx 无法读取：坏了。请重新导出。"
    )
    assert errors.UnreadableFileError.advice != "请重新导出。"  # the class's stays


def test_ledger_error_message_names_the_file_the_detail_and_what_to_do():
    error = errors.ReaderTimeoutError("2023-08/德庆县.xls", "读取超过 120 秒时间上限")
    assert error.code == "reader_timeout"
    assert str(error) == (
        "文件 德庆县.xls 无法读取：读取超过 120 秒时间上限。"
        "读取该文件超时（文件可能含有异常的大范围数据），请删除多余内容后另存为 .xlsx 重新报送。"
    )


def test_output_error_says_which_path_and_why():
    error = errors.OutputError("out/x.xlsx", "所在文件夹不存在")
    assert (error.path, error.detail, str(error)) == (
        "out/x.xlsx",
        "所在文件夹不存在",
        "无法写入 out/x.xlsx：所在文件夹不存在",
    )
