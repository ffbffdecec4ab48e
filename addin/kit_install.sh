#!/bin/sh
# 预算公开助手（budgetbook）离线安装：麒麟、统信等 Linux，不需要网络。
# 需要 Python @PYTHON@（python@PYTHON@ 或 python3）；装入 ~/.local/share/budgetbook/venv，
# 命令 budgetbook 链接到 ~/.local/bin，然后安装 WPS 加载项并设置登录时自动启动服务。
set -eu
KIT=$(cd "$(dirname "$0")" && pwd)
VENV="${BUDGETBOOK_VENV:-$HOME/.local/share/budgetbook/venv}"

PY=""
for candidate in "${PYTHON:-}" python@PYTHON@ python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(0 if "%d.%d" % sys.version_info[:2] == "@PYTHON@" else 1)' 2>/dev/null; then
        PY=$candidate
        break
    fi
done
if [ -z "$PY" ]; then
    echo "没有找到 Python @PYTHON@：本安装包中的程序只适用于 Python @PYTHON@，请先安装它（或用 PYTHON=解释器路径 指定）。" >&2
    exit 2
fi

echo "正在安装到 $VENV ……"
"$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install --no-index --find-links "$KIT/wheels" --disable-pip-version-check --quiet "budgetbook@EXTRAS@"
mkdir -p "$HOME/.local/bin"
ln -sf "$VENV/bin/budgetbook" "$HOME/.local/bin/budgetbook"
"$VENV/bin/budgetbook" addin install --wps
echo "安装完成。命令 budgetbook 在 $HOME/.local/bin 中（如终端找不到它，请把该目录加入 PATH）。"
