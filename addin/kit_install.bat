@echo off
rem 预算公开助手（budgetbook）离线安装：Windows，不需要网络。
rem 需要 Python @PYTHON@（64 位）；装入 %LOCALAPPDATA%\budgetbook\venv，然后安装 Excel 加载项，
rem 装有 WPS 时再安装 WPS 加载项并设置登录时自动启动服务。
chcp 65001 >nul
setlocal
set "KIT=%~dp0"
if not defined BUDGETBOOK_VENV set "BUDGETBOOK_VENV=%LOCALAPPDATA%\budgetbook\venv"

set "PY="
py -@PYTHON@ -c "pass" >nul 2>&1 && set "PY=py -@PYTHON@"
if not defined PY (
    python -c "import sys; sys.exit(0 if '%%d.%%d' %% sys.version_info[:2] == '@PYTHON@' else 1)" >nul 2>&1 && set "PY=python"
)
if not defined PY (
    echo 没有找到 Python @PYTHON@：本安装包中的程序只适用于 64 位 Python @PYTHON@，请先安装它。
    pause
    exit /b 2
)

echo 正在安装到 %BUDGETBOOK_VENV% ……
%PY% -m venv "%BUDGETBOOK_VENV%" || goto failed
"%BUDGETBOOK_VENV%\Scripts\python.exe" -m pip install --no-index --find-links "%KIT%wheels" --disable-pip-version-check --quiet "budgetbook@EXTRAS@" || goto failed
"%BUDGETBOOK_VENV%\Scripts\budgetbook.exe" addin install || goto failed
if exist "%APPDATA%\kingsoft\wps" (
    "%BUDGETBOOK_VENV%\Scripts\budgetbook.exe" addin install --wps || goto failed
)
echo 安装完成。命令 budgetbook 在 %BUDGETBOOK_VENV%\Scripts 中。
pause
exit /b 0

:failed
echo 安装没有完成，请把上面的信息发给信息中心。
pause
exit /b 1
