; Pingyi's own parts of the Windows installer, included by installer/NSIS.template.in.
; The data folder %ProgramData%\Pingyi and the optional kiosk-station component.
; The uninstaller never touches %ProgramData%\Pingyi: ballot boxes and keys outlive any
; version of the programs (installer/README.md).

!include "FileFunc.nsh"
!include "LogicLib.nsh"
!include "Sections.nsh"

; Well-known SIDs, so that icacls works on every display language of Windows.
!define SID_SYSTEM "*S-1-5-18"
!define SID_ADMINS "*S-1-5-32-544"
!define SID_USERS "*S-1-5-32-545"
!define KIOSK_GROUP "Pingyi Kiosk"

; %ProgramData%\Pingyi        SYSTEM, Administrators: full control; Users: read (not inherited)
;   boxes\                    + group "Pingyi Kiosk": modify (the ballot boxes)
;   exports\                  + group "Pingyi Kiosk": modify (copies before the USB stick)
;   keys\                     SYSTEM, Administrators only (kiosk PIN-sealed device keys, none yet)
Section "-Pingyi data folder"
  SetShellVarContext all
  CreateDirectory "$APPDATA\Pingyi\boxes"
  CreateDirectory "$APPDATA\Pingyi\exports"
  CreateDirectory "$APPDATA\Pingyi\keys"
  nsExec::ExecToLog 'net.exe localgroup "${KIOSK_GROUP}" /add /comment:"Accounts that may run the Pingyi voting kiosk"'
  Pop $0
  nsExec::ExecToLog 'icacls.exe "$APPDATA\Pingyi" /inheritance:r /grant:r ${SID_SYSTEM}:(OI)(CI)F ${SID_ADMINS}:(OI)(CI)F ${SID_USERS}:(RX)'
  Pop $0
  DetailPrint "ACL of $APPDATA\Pingyi: exit code $0"
  nsExec::ExecToLog 'icacls.exe "$APPDATA\Pingyi\boxes" /grant:r "${KIOSK_GROUP}:(OI)(CI)M"'
  Pop $0
  nsExec::ExecToLog 'icacls.exe "$APPDATA\Pingyi\exports" /grant:r "${KIOSK_GROUP}:(OI)(CI)M"'
  Pop $0
SectionEnd

; Optional, off by default: makes this PC a kiosk station (a dedicated local account whose
; shell is the kiosk, no Task Manager, no lock or switch user, no sleep) through
; share\pingyi\station\kiosk-station.ps1, which is documented in docs/windows.md.
Section /o "Kiosk station: dedicated account, kiosk as its shell, lock-down policies" SecStation
  SetShellVarContext all
  DetailPrint "Setting up the kiosk station (kiosk-station.ps1)..."
  nsExec::ExecToLog 'powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -File "$INSTDIR\share\pingyi\station\kiosk-station.ps1" -KioskExe "$INSTDIR\bin\pingyi-kiosk.exe" -DataDir "$APPDATA\Pingyi"'
  Pop $0
  ${If} $0 == "0"
    WriteRegDWORD HKLM "Software\Pingyi" "KioskStation" 1
  ${Else}
    DetailPrint "kiosk-station.ps1 failed ($0): run it again as administrator (docs\windows.md)"
    MessageBox MB_OK|MB_ICONEXCLAMATION "The kiosk station could not be set up ($0).$\nRun share\pingyi\station\kiosk-station.ps1 as administrator (see docs\windows.md)." /SD IDOK
  ${EndIf}
SectionEnd

; setup.exe /S /STATION: a silent install with the kiosk-station component.
Function PingyiOnInit
  SetRegView 64
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/STATION" $R1
  ${IfNot} ${Errors}
    !insertmacro SelectSection ${SecStation}
  ${EndIf}
FunctionEnd
