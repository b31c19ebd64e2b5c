<#
.SYNOPSIS
  Makes this PC a Pingyi kiosk station, or undoes it (-Remove).

.DESCRIPTION
  Run as administrator (the installer's "Kiosk station" component runs it for you).
  1. A dedicated standard local account (default "PingyiKiosk"), member of the group
     "Pingyi Kiosk", which alone (with SYSTEM and Administrators) may write the ballot
     boxes under %ProgramData%\Pingyi\boxes.
  2. That account's shell is the kiosk (per-user Winlogon "Shell", so administrators keep
     Explorer): no desktop, no Start menu, no taskbar.
  3. Its policies: no Task Manager, no lock, no password change, no registry tools; and,
     machine-wide, no fast user switching.
  4. Power: the machine never sleeps or hibernates on mains power, the display stays on.
  5. Optional -AutoLogon: Windows logs that account on at start-up (the password is kept
     by Windows in the registry: see docs/windows.md before using it).
  Windows 10/11 Enterprise or Education can use Shell Launcher v2 or Assigned Access
  instead (docs/windows.md); this script works on Pro too.
  Nothing here ever deletes a ballot box or a key: -Remove takes the account, its shell
  and its policies away and leaves %ProgramData%\Pingyi as it is.

.EXAMPLE
  powershell -ExecutionPolicy Bypass -File kiosk-station.ps1 -KioskExe "C:\Program Files\Pingyi\bin\pingyi-kiosk.exe"
.EXAMPLE
  powershell -ExecutionPolicy Bypass -File kiosk-station.ps1 -Remove
#>
[CmdletBinding()]
param(
  [string]$KioskExe = (Join-Path $PSScriptRoot "..\..\..\bin\pingyi-kiosk.exe"),
  [string]$DataDir = (Join-Path $env:ProgramData "Pingyi"),
  [string]$UserName = "PingyiKiosk",
  [string]$Group = "Pingyi Kiosk",
  [SecureString]$Password,
  [switch]$AutoLogon,
  [switch]$Remove
)
$ErrorActionPreference = "Stop"
Set-StrictMode -Version 3

$principal = New-Object Security.Principal.WindowsPrincipal([Security.Principal.WindowsIdentity]::GetCurrent())
if (-not $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) {
  throw "Run kiosk-station.ps1 as administrator."
}

$winlogon = "HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon"
$machinePolicies = "HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System"

# The profile of a new account exists only after its first logon: CreateProfile makes it
# now, so that its registry hive can carry the shell and the policies.
Add-Type -Namespace Pingyi -Name UserEnv -MemberDefinition @'
[DllImport("userenv.dll", CharSet = CharSet.Unicode, SetLastError = true)]
public static extern int CreateProfile(string sid, string user, System.Text.StringBuilder path, uint size);
'@

function Invoke-Reg([string[]]$Arguments) {
  & reg.exe @Arguments | Out-Null
  if ($LASTEXITCODE -ne 0) { throw "reg.exe $($Arguments -join ' ') failed ($LASTEXITCODE)" }
}

function Get-ProfilePath([string]$sid) {
  $key = "HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion\ProfileList\$sid"
  if (Test-Path $key) { return (Get-ItemProperty $key).ProfileImagePath }
  $buf = New-Object System.Text.StringBuilder 260
  $hr = [Pingyi.UserEnv]::CreateProfile($sid, $UserName, $buf, 260)
  if ($hr -ne 0) { throw ("CreateProfile failed: 0x{0:X8}" -f $hr) }
  return $buf.ToString()
}

# Runs $body with the account's registry hive loaded at HKU\PingyiKiosk.
function Edit-UserHive([string]$sid, [scriptblock]$body) {
  $loaded = Test-Path "Registry::HKEY_USERS\$sid"
  $root = "Registry::HKEY_USERS\$sid"
  if (-not $loaded) {
    $hive = Join-Path (Get-ProfilePath $sid) "NTUSER.DAT"
    Invoke-Reg @("load", "HKU\PingyiKiosk", $hive)
    $root = "Registry::HKEY_USERS\PingyiKiosk"
  }
  try { & $body $root }
  finally {
    if (-not $loaded) {
      [GC]::Collect(); [GC]::WaitForPendingFinalizers()
      Invoke-Reg @("unload", "HKU\PingyiKiosk")
    }
  }
}

function Set-Value([string]$path, [string]$name, $value, [string]$type = "DWord") {
  if (-not (Test-Path $path)) { New-Item -Path $path -Force | Out-Null }
  New-ItemProperty -Path $path -Name $name -Value $value -PropertyType $type -Force | Out-Null
}

if ($Remove) {
  $user = Get-LocalUser -Name $UserName -ErrorAction SilentlyContinue
  if ($user) {
    $userProfile = Get-CimInstance Win32_UserProfile | Where-Object { $_.SID -eq $user.SID.Value }
    if ($userProfile) { $userProfile | Remove-CimInstance }
    Remove-LocalUser -Name $UserName
    Write-Output "Removed the account $UserName and its profile."
  }
  if ((Get-ItemProperty $winlogon -ErrorAction SilentlyContinue).PSObject.Properties.Name -contains "DefaultUserName" -and
      (Get-ItemProperty $winlogon).DefaultUserName -eq $UserName) {
    Set-Value $winlogon "AutoAdminLogon" "0" "String"
    Remove-ItemProperty $winlogon -Name "DefaultPassword" -ErrorAction SilentlyContinue
  }
  Set-Value $machinePolicies "HideFastUserSwitching" 0
  Remove-ItemProperty "HKLM:\SOFTWARE\Pingyi" -Name "KioskStation" -ErrorAction SilentlyContinue
  Write-Output "The kiosk station is undone; $DataDir (ballot boxes, keys) is left as it is."
  exit 0
}

if (-not (Test-Path $KioskExe)) { throw "No kiosk at $KioskExe (-KioskExe)." }
$KioskExe = (Resolve-Path $KioskExe).Path
$boxes = Join-Path $DataDir "boxes"
New-Item -ItemType Directory -Force -Path $boxes | Out-Null

# 1. The account and its group.
if (-not (Get-LocalGroup -Name $Group -ErrorAction SilentlyContinue)) {
  New-LocalGroup -Name $Group -Description "Accounts that may run the Pingyi voting kiosk" | Out-Null
}
$user = Get-LocalUser -Name $UserName -ErrorAction SilentlyContinue
if (-not $user) {
  if (-not $Password) {
    # A long random password nobody needs to know (auto-logon or an administrator's reset).
    # (Windows PowerShell 5.1: .NET Framework, so no RandomNumberGenerator.GetInt32.)
    $chars = [char[]](33..126)
    $bytes = New-Object byte[] 32
    [Security.Cryptography.RandomNumberGenerator]::Create().GetBytes($bytes)
    $plain = -join ($bytes | ForEach-Object { $chars[$_ % $chars.Length] })
    $Password = ConvertTo-SecureString $plain -AsPlainText -Force
  }
  $user = New-LocalUser -Name $UserName -Password $Password -FullName "Pingyi kiosk" `
    -Description "Runs only the Pingyi voting kiosk" -PasswordNeverExpires -UserMayNotChangePassword
}
$usersGroup = (Get-LocalGroup -SID "S-1-5-32-545").Name
foreach ($g in @($Group, $usersGroup)) {
  if (-not (Get-LocalGroupMember -Group $g -Member $UserName -ErrorAction SilentlyContinue)) {
    Add-LocalGroupMember -Group $g -Member $UserName
  }
}
# Ballot boxes: the kiosk group may modify them; the top folder stays admin-only for writing.
& icacls.exe $boxes /grant:r "${Group}:(OI)(CI)M" | Out-Null
if ($LASTEXITCODE -ne 0) { throw "icacls on $boxes failed ($LASTEXITCODE)" }

# 2 and 3. The shell and the account's own policies.
$sid = $user.SID.Value
$shell = "`"$KioskExe`" --data-dir `"$boxes`""
Edit-UserHive $sid {
  param($root)
  Set-Value "$root\Software\Microsoft\Windows NT\CurrentVersion\Winlogon" "Shell" $shell "String"
  $system = "$root\Software\Microsoft\Windows\CurrentVersion\Policies\System"
  Set-Value $system "DisableTaskMgr" 1
  Set-Value $system "DisableLockWorkstation" 1
  Set-Value $system "DisableChangePassword" 1
  Set-Value $system "DisableRegistryTools" 1
  $explorer = "$root\Software\Microsoft\Windows\CurrentVersion\Policies\Explorer"
  Set-Value $explorer "NoRun" 1
  Set-Value $explorer "NoLogoff" 1
  Set-Value $explorer "NoDriveTypeAutoRun" 255
}
Set-Value $machinePolicies "HideFastUserSwitching" 1

# 4. Never sleep on mains power; the kiosk also asks Windows to stay awake while the poll is open.
foreach ($setting in "standby-timeout-ac", "hibernate-timeout-ac", "monitor-timeout-ac") {
  & powercfg.exe /change $setting 0
}

# 5. Optional automatic logon of the kiosk account.
if ($AutoLogon) {
  if (-not $PSBoundParameters.ContainsKey("Password")) {
    throw "-AutoLogon needs -Password (the account's password is stored for Windows to log on)."
  }
  $plainPassword = [Runtime.InteropServices.Marshal]::PtrToStringUni(
    [Runtime.InteropServices.Marshal]::SecureStringToBSTR($Password))
  Set-Value $winlogon "AutoAdminLogon" "1" "String"
  Set-Value $winlogon "DefaultUserName" $UserName "String"
  Set-Value $winlogon "DefaultDomainName" $env:COMPUTERNAME "String"
  Set-Value $winlogon "DefaultPassword" $plainPassword "String"
}

Set-Value "HKLM:\SOFTWARE\Pingyi" "KioskStation" 1
Write-Output "Kiosk station ready: log on as $UserName to start the kiosk ($shell)."
