// A sentence for a person, kept as its parts until it is shown, so that each face renders it
// in the reader's language: an English template — a msgid of the "pingyi-core" catalog
// (assets/po/core/) — with numbered slots {0}, {1}…, each filled by a literal (a name, a
// number, a fingerprint, a file name: shown as is) or by another phrase. core/ stays free of
// any translation library: the GUI passes wxGetTranslation, the console its catalog reader.
//
// Templates are written as Ph("…{0}…", args…) so that xgettext (keyword Ph) extracts them
// into the catalog, and the catalog test fails on any template without a translation.
#pragma once

#include <concepts>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "crypto/result.hpp"

namespace pingyi {

class Phrase {
  public:
    Phrase() = default;  // empty: "nothing to say"

    // Shown as is, in every language.
    static Phrase Literal(std::string text);
    // A template (a msgid) and what fills its slots.
    static Phrase Template(std::string_view text, std::vector<Phrase> args);
    // A sentence of the error table (core/messages.hpp) for `code`; English() shows the
    // technical detail instead, as the console and the logs always have.
    static Phrase ForError(std::string_view code, std::string detail);
    static Phrase ForError(const Error& e) { return ForError(e.code, e.detail); }

    [[nodiscard]] bool empty() const { return m_text.empty() && m_args.empty(); }

    // Msgid -> template in the reader's language (the msgid itself when it has none).
    using Translate = std::function<std::string(std::string_view msgid)>;
    // The sentence in the reader's language. A slot number without an argument is left as
    // it is written; an unclosed brace is text.
    [[nodiscard]] std::string Render(const Translate& translate) const;
    // The sentence in English, with technical error details (logs, console, tests).
    [[nodiscard]] std::string English() const;

  private:
    enum class Kind { Literal, Template, Error };
    [[nodiscard]] std::string Fill(std::string_view tmpl, const Translate* translate) const;
    Kind m_kind = Kind::Literal;
    std::string m_text;    // the literal, the template, or the error's msgid
    std::string m_detail;  // Error: the technical English detail
    std::vector<Phrase> m_args;
};

namespace phrase_detail {
inline Phrase Arg(Phrase p)
{
    return p;
}
inline Phrase Arg(std::string s)
{
    return Phrase::Literal(std::move(s));
}
inline Phrase Arg(std::string_view s)
{
    return Phrase::Literal(std::string(s));
}
inline Phrase Arg(const char* s)
{
    return Phrase::Literal(s);
}
template <std::integral T>
Phrase Arg(T n)
{
    return Phrase::Literal(std::to_string(n));
}
}  // namespace phrase_detail

// Ph("{0} ballots", n): a template marked for the catalog, its slots filled in order.
// Strings and numbers are literals; to translate a part, pass a Ph of its own.
template <class... Args>
Phrase Ph(std::string_view tmpl, Args&&... args)
{
    return Phrase::Template(tmpl, {phrase_detail::Arg(std::forward<Args>(args))...});
}

// "a, b, c" as a phrase, its separator translated ("a、b、c" in Chinese).
[[nodiscard]] Phrase ListOf(const std::vector<std::string>& items);
[[nodiscard]] Phrase ListOf(std::vector<Phrase> items);

}  // namespace pingyi
