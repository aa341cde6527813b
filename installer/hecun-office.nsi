;; NSIS setup program of hecun-office (SPEC N-3): Unicode, Simplified Chinese pages.
;;
;;   makensis -DBUNDLE_DIR=<dist>/hecun-office -DOUT_FILE=<path>/hecun-office-setup.exe installer/hecun-office.nsi
;;
;; BUNDLE_DIR is the one-folder bundle built by installer/hecun-office.spec (the same folder on Windows and, for the
;; compile check, on Linux with Debian's makensis). VERSION defaults to the version in pyproject.toml.
;;
;; - Per user, without administrator rights: %LOCALAPPDATA%\Programs\hecun-office (the default).
;; - For all users: run the setup program from an administrator prompt with /ALLUSERS: %ProgramFiles%\hecun-office,
;;   Start-menu shortcut for everyone. Without administrator rights /ALLUSERS is refused with a message.
;; - Upgrade: installing over an earlier version replaces the program files; it refuses while the program runs
;;   (an executable in use cannot be opened for writing, see CheckNotRunning).
;; - Uninstall removes the program files only: the data folder %LOCALAPPDATA%\hecun-office (database, backups,
;;   keys, log; platformdirs' user_data_dir of hecun_office.paths) is kept, and the uninstaller says so.

Unicode true
ManifestDPIAware true
SetCompressor /SOLID lzma

!ifndef BUNDLE_DIR
  !error "BUNDLE_DIR is not defined: makensis -DBUNDLE_DIR=<dist>/hecun-office installer/hecun-office.nsi"
!endif
!ifndef VERSION
  ; the first line of pyproject.toml that starts with version = "..." ([project] comes before [tool.*])
  !searchparse /ignorecase /file "${__FILEDIR__}\..\pyproject.toml" `version = "` VERSION `"`
!endif
!ifndef OUT_FILE
  !define OUT_FILE "hecun-office-setup-${VERSION}.exe"
!endif

; The executables as built: hecun-office.exe on Windows; for the compile check on Linux the same folder has them
; without the suffix, and they are packed under their Windows names.
!if /FileExists "${BUNDLE_DIR}\hecun-office.exe"
  !define BUNDLE_EXE_SUFFIX ".exe"
!else
  !define BUNDLE_EXE_SUFFIX ""
!endif

!define APP_ID "hecun-office"
!define APP_NAME "司法所行政执法协调监督工作台"
!define APP_PUBLISHER "hecun-office"
!define MAIN_EXE "hecun-office.exe"
!define CLI_EXE "hecun-office-cli.exe"
!define UNINSTALL_EXE "uninstall.exe"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_ID}"
!define DATA_DIR "$LOCALAPPDATA\${APP_ID}"

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"
!include "x64.nsh"

Name "${APP_NAME}"
OutFile "${OUT_FILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP_ID}"
RequestExecutionLevel user
ShowInstDetails show
ShowUninstDetails show
BrandingText "${APP_NAME} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=2052 "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=2052 "FileDescription" "${APP_NAME} 安装程序"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "CompanyName" "${APP_PUBLISHER}"
VIAddVersionKey /LANG=2052 "LegalCopyright" "MIT"

Var AllUsers

!define MUI_ABORTWARNING
!define MUI_WELCOMEPAGE_TEXT "将在本电脑上安装 ${APP_NAME} ${VERSION}。$\r$\n$\r$\n默认只为当前用户安装，不需要管理员权限。如需为本机所有用户安装，请以管理员身份运行本安装程序并加参数 /ALLUSERS。$\r$\n$\r$\n升级时请先退出正在运行的工作台。数据（数据库、备份、密钥）保存在 ${DATA_DIR}，安装和升级都不会改动它。"
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\${MAIN_EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "启动 ${APP_NAME}"
!insertmacro MUI_PAGE_FINISH

!define MUI_UNCONFIRMPAGE_TEXT_TOP "将删除 ${APP_NAME} 的程序文件。$\r$\n您的数据（数据库、备份、密钥、日志）保存在 ${DATA_DIR}，卸载后仍然保留；如确实不再需要，请在备份后手动删除该文件夹。"
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "SimpChinese"

; Refuses while the program runs: a running executable cannot be opened for writing (share mode 0). Both the
; window and the console program are tried; on "重试" the test repeats, on "取消" (or in silent mode) the setup ends.
!macro CHECK_ONE_EXE PATH
  ${If} ${FileExists} "${PATH}"
    ; GENERIC_WRITE (0x40000000), no sharing, OPEN_EXISTING (3), FILE_ATTRIBUTE_NORMAL (0x80)
    System::Call 'kernel32::CreateFileW(w "${PATH}", i 0x40000000, i 0, p 0, i 3, i 0x80, p 0) p .r0 ?e'
    Pop $1  ; GetLastError: 32 = sharing violation (the program runs), 5 = access denied (installed for all users)
    ${If} $0 P= -1
      ${If} $1 = 32
        StrCpy $2 1
      ${EndIf}
    ${Else}
      System::Call 'kernel32::CloseHandle(p r0)'
    ${EndIf}
  ${EndIf}
!macroend

!macro CHECK_NOT_RUNNING UN
Function ${UN}CheckNotRunning
  Push $0
  Push $1
  Push $2
  retry:
  StrCpy $2 0
  !insertmacro CHECK_ONE_EXE "$INSTDIR\${MAIN_EXE}"
  !insertmacro CHECK_ONE_EXE "$INSTDIR\${CLI_EXE}"
  ${If} $2 <> 0
    MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "${APP_NAME} 正在运行（$INSTDIR）。$\r$\n请先保存工作并退出程序（包括命令行窗口中的 hecun-office-cli），然后点击“重试”。" /SD IDCANCEL IDRETRY retry
    Abort "${APP_NAME} 正在运行，未做任何更改。"
  ${EndIf}
  Pop $2
  Pop $1
  Pop $0
FunctionEnd
!macroend
!insertmacro CHECK_NOT_RUNNING ""
!insertmacro CHECK_NOT_RUNNING "un."

Function .onInit
  StrCpy $AllUsers 0
  ${GetParameters} $0
  ClearErrors
  ${GetOptions} $0 "/ALLUSERS" $1
  ${IfNot} ${Errors}
    UserInfo::GetAccountType
    Pop $1
    ${If} $1 != "Admin"
      MessageBox MB_OK|MB_ICONSTOP "为所有用户安装（/ALLUSERS）需要管理员权限。$\r$\n请右键“以管理员身份运行”命令提示符后再运行本安装程序；或不带 /ALLUSERS 只为当前用户安装。" /SD IDOK
      Abort
    ${EndIf}
    StrCpy $AllUsers 1
    SetShellVarContext all
    ${If} ${RunningX64}
      StrCpy $INSTDIR "$PROGRAMFILES64\${APP_ID}"
    ${Else}
      StrCpy $INSTDIR "$PROGRAMFILES\${APP_ID}"
    ${EndIf}
  ${Else}
    SetShellVarContext current
  ${EndIf}
  ; An earlier installation in the same mode: upgrade it where it is.
  ReadRegStr $1 SHCTX "${UNINSTALL_KEY}" "InstallLocation"
  ${If} $1 != ""
    StrCpy $INSTDIR $1
  ${EndIf}
FunctionEnd

Section "${APP_NAME}" SecMain
  SectionIn RO
  Call CheckNotRunning
  SetOutPath "$INSTDIR"
  ; An upgrade replaces the libraries as a whole: no file of the earlier version is left behind.
  RMDir /r "$INSTDIR\_internal"
  File "/oname=${MAIN_EXE}" "${BUNDLE_DIR}\hecun-office${BUNDLE_EXE_SUFFIX}"
  File "/oname=${CLI_EXE}" "${BUNDLE_DIR}\hecun-office-cli${BUNDLE_EXE_SUFFIX}"
  File /r "${BUNDLE_DIR}\_internal"
  WriteUninstaller "$INSTDIR\${UNINSTALL_EXE}"

  CreateShortCut "$SMPROGRAMS\${APP_NAME}.lnk" "$INSTDIR\${MAIN_EXE}" "" "$INSTDIR\${MAIN_EXE}" 0

  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "Publisher" "${APP_PUBLISHER}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${MAIN_EXE}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  ${If} $AllUsers = 1
    WriteRegStr SHCTX "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\${UNINSTALL_EXE}" /ALLUSERS'
  ${Else}
    WriteRegStr SHCTX "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\${UNINSTALL_EXE}"'
  ${EndIf}
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "EstimatedSize" "$0"
  DetailPrint "数据文件夹：${DATA_DIR}（安装和升级不改动其中的数据）"
SectionEnd

Function un.onInit
  ${GetParameters} $0
  ClearErrors
  ${un.GetOptions} $0 "/ALLUSERS" $1
  ${IfNot} ${Errors}
    SetShellVarContext all
  ${Else}
    SetShellVarContext current
  ${EndIf}
FunctionEnd

Section "Uninstall"
  Call un.CheckNotRunning
  ; Only what the setup program put there: never a recursive delete of $INSTDIR, which the user may have chosen.
  Delete "$SMPROGRAMS\${APP_NAME}.lnk"
  Delete "$INSTDIR\${MAIN_EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${UNINSTALL_EXE}"
  RMDir "$INSTDIR"
  DeleteRegKey SHCTX "${UNINSTALL_KEY}"
  DetailPrint "已保留数据文件夹：${DATA_DIR}"
  MessageBox MB_OK|MB_ICONINFORMATION "${APP_NAME} 已卸载。$\r$\n$\r$\n您的数据（数据库、备份、密钥、日志）仍保存在：$\r$\n${DATA_DIR}$\r$\n重新安装后可继续使用；如确实不再需要，请在备份后手动删除该文件夹。" /SD IDOK
SectionEnd
