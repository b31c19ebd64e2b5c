#include "core/messages.hpp"

#include <algorithm>
#include <array>

namespace pingyi {
namespace {

// Marks a msgid for xgettext (--keyword=N_) without translating it here.
constexpr std::string_view N_(std::string_view msgid)
{
    return msgid;
}

struct MessageEntry {
    std::string_view code;
    std::string_view msgid;
};

// In the order of docs/formats.md "Error codes"; then the tally and results codes of
// core/tally.cpp and core/results.cpp, and the admin console's own codes.
// TRANSLATORS: these sentences are shown to voters, branch secretaries and auditors. Keep
// them short and friendly; say what to do next where there is something to do.
constexpr std::array kMessages = {
    MessageEntry{"encoding.scalar", N_("The file's data is damaged (an invalid number).")},
    MessageEntry{"encoding.point", N_("The file's data is damaged (an invalid curve point).")},
    MessageEntry{"encoding.ciphertext", N_("The file's data is damaged (an encrypted value has the wrong length).")},
    MessageEntry{"encoding.proof", N_("The file's data is damaged (a proof has the wrong length).")},
    MessageEntry{"encoding.grid", N_("An encrypted ballot does not have the length this election needs.")},
    MessageEntry{"ballot.shape", N_("An encrypted ballot does not match this election's members or options.")},
    MessageEntry{"proof.range", N_("A zero-knowledge proof does not verify.")},
    MessageEntry{"proof.constant", N_("A zero-knowledge proof does not verify.")},
    MessageEntry{"proof.decryption", N_("A zero-knowledge proof does not verify.")},
    MessageEntry{"proof.key", N_("A zero-knowledge proof does not verify.")},
    MessageEntry{"proof.cell", N_("A ballot's proof does not verify: the ballot is invalid.")},
    MessageEntry{"proof.row", N_("A ballot's proof does not verify: the ballot is invalid.")},
    MessageEntry{"proof.quota", N_("A ballot's proof does not verify: the ballot is invalid.")},
    MessageEntry{"key.secret", N_("The election key is invalid.")},
    MessageEntry{"key.signing", N_("The signing key is invalid.")},
    MessageEntry{"signature.key", N_("The public key of a signature is invalid.")},
    MessageEntry{"signature.invalid", N_("A signature does not verify: the file may have been altered.")},
    MessageEntry{"keyfile.format", N_("This is not a valid key file, or the file is damaged.")},
    MessageEntry{"keyfile.passphrase", N_("The passphrase or PIN is wrong. Please try again.")},
    MessageEntry{"keyfile.kind",
                 N_("This is the wrong kind of key file (the election key and a signing key cannot replace each "
                    "other).")},
    MessageEntry{"election.invalid", N_("The election settings are not valid.")},
    MessageEntry{"package.format", N_("This is not a valid election package, or the file is damaged.")},
    MessageEntry{"package.version", N_("This election package needs a newer version of the software.")},
    MessageEntry{"package.suite", N_("The election package uses encryption this software does not support.")},
    MessageEntry{"package.public_key", N_("The public key in the election package is invalid.")},
    MessageEntry{"package.key_proof", N_("The key proof in the election package is invalid.")},
    MessageEntry{"package.trustees", N_("The trustees' keys in the election package do not verify.")},
    MessageEntry{"package.codes", N_("The list of voting codes in the election package is wrong.")},
    MessageEntry{"package.signature",
                 N_("The election package's signature does not verify: the file was altered. Use the original file "
                    "from the branch secretary.")},
    MessageEntry{"suite.mismatch",
                 N_("This file uses another cryptographic suite than the election package (SM2-SM3 and P256-SHA256 "
                    "never mix). Use the files of this very election.")},
    MessageEntry{"box.kiosk", N_("This election has no voting machine with that number.")},
    MessageEntry{"box.exists",
                 N_("A file already exists there. Keep using the existing ballot box, or choose another place.")},
    MessageEntry{"pin.weak", N_("The operator PIN must have at least 6 digits, and digits only.")},
    MessageEntry{"pin.mismatch", N_("The two PINs are not the same.")},
    MessageEntry{"box.missing", N_("The ballot box file cannot be found.")},
    MessageEntry{"box.key", N_("The voting machine's key file is missing or belongs to another ballot box.")},
    MessageEntry{"box.format", N_("This is not a Pingyi ballot box file.")},
    MessageEntry{"box.version", N_("This version of the ballot box file is not supported.")},
    MessageEntry{"box.damaged", N_("The ballot box file is damaged.")},
    MessageEntry{"box.tampered",
                 N_("The ballot box file was changed while the voting machine was off: it does not match its own "
                    "signatures. Do not go on voting with it; call the election's supervisors (监票人).")},
    MessageEntry{"box.rollback",
                 N_("This ballot box file is an older copy than the one this voting machine last wrote (or its "
                    "counter file is missing). Do not go on voting with it; call the election's supervisors.")},
    MessageEntry{"box.closed", N_("Voting has ended.")},
    MessageEntry{"box.code", N_("This code is not valid here, or has already been used.")},
    MessageEntry{"box.ballot", N_("The ballot failed its own check and was not saved. Please ask the staff for help.")},
    MessageEntry{"box.io", N_("The ballot box file cannot be read or written. Please ask the staff for help.")},
    MessageEntry{"box.disk_full", N_("The disk is full and the ballot was not saved. Please ask the staff for help.")},
    MessageEntry{"box.sql", N_("The ballot box database reported an error. Please ask the staff for help.")},
    MessageEntry{"session.state", N_("This cannot be done on this screen.")},
    MessageEntry{"session.rate_limited", N_("Too many wrong codes. Please wait a moment and try again.")},
    MessageEntry{"operator.locked", N_("Too many wrong PINs. Please wait a few minutes and try again.")},
    MessageEntry{"session.code_format", N_("This is not a voting code. A code has 16 letters and digits.")},
    MessageEntry{"session.code_unknown", N_("This code is not valid. Please check it and enter it again.")},
    MessageEntry{"session.code_used", N_("This code has already been used. Please ask the staff for help.")},
    MessageEntry{"session.code_other_kiosk", N_("This code is for another voting machine.")},
    MessageEntry{"internal.error", N_("The work stopped on an unexpected error. Please keep the files and report it.")},
    MessageEntry{"session.code_election",
                 N_("This slip belongs to another election: its fingerprint differs. Please ask the staff.")},
    MessageEntry{"session.closed", N_("Voting has ended.")},
    MessageEntry{"session.range", N_("There is no such member or option.")},
    MessageEntry{"session.quota", N_("This option has already been given to as many members as allowed.")},
    MessageEntry{"session.unrated", N_("Some members are not rated yet. Please rate every member.")},
    MessageEntry{"session.timed_out",
                 N_("Nothing happened for a long time, so this ballot was cancelled. The code can still be used.")},
    MessageEntry{"session.encrypt", N_("The ballot could not be encrypted. Please ask the staff for help.")},
    MessageEntry{"session.too_soon", N_("Please look at your choices first, then confirm.")},
    MessageEntry{"session.check_mode",
                 N_("Checking a ballot is possible only in check mode, which the operator turns on.")},
    MessageEntry{"roster.file", N_("The roster file cannot be read.")},
    MessageEntry{"roster.format", N_("The roster file is not in a format that can be read.")},
    MessageEntry{"roster.encoding", N_("The text encoding of the roster file cannot be recognised.")},
    MessageEntry{"roster.mixed_encoding",
                 N_("The roster file mixes two text encodings (UTF-8 and GB18030 lines). Save the whole file in one "
                    "encoding (UTF-8 is best) and import it again.")},
    MessageEntry{"roster.xlsx", N_("The Excel roster cannot be read.")},
    MessageEntry{"roster.header", N_("The roster's header row needs exactly one name (姓名) column.")},
    MessageEntry{"roster.row", N_("A row of the roster is not valid.")},
    MessageEntry{"roster.duplicate", N_("A person appears twice in the roster.")},
    MessageEntry{"roster.unprintable",
                 N_("A name has a character that the slips and reports cannot print. Check the name; the line "
                    "and the character are given below.")},
    MessageEntry{"roster.too_many", N_("The roster has more members than allowed.")},
    MessageEntry{"roster.empty", N_("The roster has no members.")},
    MessageEntry{"roster.duplicate_name", N_("Two members of the roster have the same name.")},
    MessageEntry{"roster.column_ignored", N_("A column of the roster was not used.")},
    MessageEntry{"roster.row_skipped", N_("A row of the roster was skipped.")},
    MessageEntry{"roster.warnings_omitted", N_("More notes about the roster were left out.")},
    MessageEntry{"xlsx.zip", N_("The Excel file is damaged or not supported.")},
    MessageEntry{"xlsx.xml", N_("The Excel file is damaged or not supported.")},
    MessageEntry{"xlsx.missing", N_("The Excel file is damaged or not supported.")},
    MessageEntry{"xlsx.too_large", N_("The Excel file is damaged or not supported.")},
    MessageEntry{"text.encoding", N_("The text encoding is wrong.")},
    MessageEntry{"text.mixed_encoding", N_("The file mixes two text encodings (UTF-8 and GB18030 lines).")},
    MessageEntry{"slips.empty", N_("There are no valid voting codes to print.")},
    MessageEntry{"slips.code", N_("There are no valid voting codes to print.")},
    MessageEntry{"pdf.font", N_("No usable Chinese font was found.")},
    MessageEntry{"pdf.write", N_("The PDF file cannot be saved.")},
    MessageEntry{"pdf.internal", N_("Something went wrong while making the PDF.")},
    MessageEntry{"report.input", N_("The report cannot be made: the results and the election do not match.")},
    MessageEntry{"report.write", N_("The report cannot be saved. Check the folder and the free space.")},
    MessageEntry{"pdf.qr", N_("Something went wrong while making the PDF.")},
    // The tally and the results file.
    MessageEntry{"tally.verify", N_("Verification failed, so nothing was decrypted.")},
    MessageEntry{"tally.open_box",
                 N_("This ballot box is a backup taken during voting: its poll was not closed. Close the poll at the "
                    "kiosk, export the ballot box again and tally that copy.")},
    MessageEntry{"tally.key", N_("This key belongs to another election.")},
    MessageEntry{"tally.dlog", N_("The results could not be decrypted: the key or the ballot boxes are wrong.")},
    MessageEntry{"tally.cancelled", N_("The tally was cancelled.")},
    MessageEntry{"tally.too_few",
                 N_("Too few ballots were cast: any result would show how people voted, so none is decrypted.")},
    MessageEntry{"results.format", N_("This is not a valid results file, or the file is damaged.")},
    MessageEntry{"results.election", N_("This results file belongs to another election.")},
    MessageEntry{"results.signature", N_("The results file's signature does not verify: the file was altered.")},
    // The trustees' key ceremony and tally (docs/formats.md §9).
    MessageEntry{"ceremony.setup", N_("The trustees or the number needed to decrypt are not valid.")},
    MessageEntry{"ceremony.file", N_("This is not a file of this key ceremony, or the file is damaged.")},
    MessageEntry{"ceremony.commitments",
                 N_("A trustee's public key commitments do not verify. That trustee must run the first step again.")},
    MessageEntry{"ceremony.missing", N_("A trustee has not done this step yet.")},
    MessageEntry{"ceremony.key", N_("This trustee key file belongs to another key ceremony.")},
    MessageEntry{"ceremony.round1_mismatch",
                 N_("The trustees' files do not agree: a file was replaced. Start the key ceremony again.")},
    MessageEntry{"ceremony.share",
                 N_("A trustee sent a wrong key share. Start the key ceremony again without that trustee.")},
    MessageEntry{"ceremony.share_encryption",
                 N_("An encrypted key share cannot be opened: it was altered or made for someone else.")},
    MessageEntry{"ceremony.confirmation", N_("A trustee's confirmation does not verify.")},
    MessageEntry{"ceremony.secret", N_("The trustee key file's secret is invalid.")},
    MessageEntry{"partial.format", N_("This is not a valid partial decryption file, or the file is damaged.")},
    MessageEntry{"partial.binding",
                 N_("This partial decryption is for other ballot boxes, another election or an unknown trustee.")},
    MessageEntry{"partial.proof", N_("A trustee's partial decryption does not verify: it was altered.")},
    MessageEntry{"tally.present",
                 N_("More codes were used than people are present. Nothing is decrypted: check the ballot boxes.")},
    MessageEntry{"tally.by_trustees",
                 N_("The trustees hold this election's key: each of them decrypts with their own key file, then "
                    "their partial decryptions are combined. Nothing was decrypted here.")},
    MessageEntry{"tally.too_few_trustees",
                 N_("Not enough trustees have decrypted yet. More trustees must do their step.")},
    // The expected device fingerprints (core/device_list.hpp).
    MessageEntry{"devices.encoding",
                 N_("The list of kiosk device fingerprints is not plain UTF-8 text. Save it as UTF-8 text; "
                    "start any remark with #.")},
    MessageEntry{"devices.line",
                 N_("A line of the list of kiosk device fingerprints is not a fingerprint. Each line holds one, "
                    "as printed on the opening form (16 hex digits).")},
    MessageEntry{"devices.empty",
                 N_("The list of kiosk device fingerprints names no kiosk. Check that you chose the list written "
                    "when the kiosks were opened.")},
    // Reading files (core/file_io.hpp), then the admin console's own codes.
    MessageEntry{"config.format", N_("The settings file is not valid.")},
    MessageEntry{"file.read", N_("The file cannot be read.")},
    MessageEntry{"file.write", N_("The file cannot be saved.")},
    MessageEntry{"file.type",
                 N_("This is not a file that can be read: it is a folder, a device or a pipe. Please choose the file "
                    "itself.")},
    MessageEntry{"file.too_large",
                 N_("The file is far too large for a file of this kind. Please check that you chose the right "
                    "file.")},
    MessageEntry{"passphrase.missing", N_("Please enter the passphrase.")},
    MessageEntry{"passphrase.mismatch", N_("The two passphrases are not the same.")},
    MessageEntry{"passphrase.weak", N_("The passphrase is too short. Please use at least 8 characters.")},
    MessageEntry{"file.exists", N_("A file of that name is already there; nothing was overwritten.")},
    MessageEntry{"output.exists",
                 N_("This folder is not empty. Choose a new or empty folder, so that no key or package is "
                    "overwritten.")},
    MessageEntry{"output.folder", N_("The folder could not be created. Choose another place.")},
    MessageEntry{"keys.missing", N_("The key files are not in the chosen key folder.")},
    MessageEntry{"results.missing", N_("There are no saved results in the results folder yet. Tally first.")},
    MessageEntry{"create.cancelled", N_("Cancelled: no file was written.")},
    MessageEntry{"devices.file", N_("The list of kiosk device fingerprints was refused, so nothing was decrypted.")},
    MessageEntry{"decisions.election", N_("The decisions file belongs to another evaluation.")},
    MessageEntry{"decisions.format", N_("The decisions file is damaged or not a decisions file.")},
    MessageEntry{"spoiled.nonces", N_("A checked ballot does not open with the nonces it revealed.")},
};

// Marks the generic sentence for extraction too, and keeps the two spellings equal.
static_assert(N_("Something went wrong. Please ask the staff for help.") == kGenericErrorMessageId);

constexpr std::array<std::string_view, kMessages.size()> MakeCodeList()
{
    std::array<std::string_view, kMessages.size()> out{};
    for (std::size_t i = 0; i < kMessages.size(); ++i)
        out[i] = kMessages[i].code;
    return out;
}
constexpr auto kCodes = MakeCodeList();

}  // namespace

std::string_view ErrorMessageId(std::string_view code)
{
    const auto* it = std::find_if(kMessages.begin(), kMessages.end(), [&](const auto& e) { return e.code == code; });
    return it == kMessages.end() ? kGenericErrorMessageId : it->msgid;
}

std::span<const std::string_view> KnownErrorCodes()
{
    return kCodes;
}

}  // namespace pingyi
