#include "core/phrase.hpp"

#include "core/messages.hpp"

namespace pingyi {

Phrase Phrase::Literal(std::string text)
{
    Phrase p;
    p.m_kind = Kind::Literal;
    p.m_text = std::move(text);
    return p;
}

Phrase Phrase::Template(std::string_view text, std::vector<Phrase> args)
{
    Phrase p;
    p.m_kind = Kind::Template;
    p.m_text = std::string(text);
    p.m_args = std::move(args);
    return p;
}

Phrase Phrase::ForError(std::string_view code, std::string detail)
{
    Phrase p;
    p.m_kind = Kind::Error;
    p.m_text = std::string(ErrorMessageId(code));
    p.m_detail = std::move(detail);
    return p;
}

std::string Phrase::Fill(std::string_view tmpl, const Translate* translate) const
{
    std::string out;
    for (std::size_t i = 0; i < tmpl.size(); ++i) {
        if (tmpl[i] == '{') {
            const std::size_t close = tmpl.find('}', i);
            std::size_t n = 0;
            bool number = close != std::string_view::npos && close > i + 1 && close - i <= 3;
            for (std::size_t k = i + 1; number && k < close; ++k) {
                if (tmpl[k] < '0' || tmpl[k] > '9')
                    number = false;
                else
                    n = n * 10 + static_cast<std::size_t>(tmpl[k] - '0');
            }
            if (number && n < m_args.size()) {
                out += translate ? m_args[n].Render(*translate) : m_args[n].English();
                i = close;
                continue;
            }
        }
        out += tmpl[i];
    }
    return out;
}

std::string Phrase::Render(const Translate& translate) const
{
    switch (m_kind) {
        case Kind::Literal:
            return m_text;
        case Kind::Error:
            return translate(m_text);
        case Kind::Template:
            break;
    }
    return Fill(translate(m_text), &translate);
}

std::string Phrase::English() const
{
    switch (m_kind) {
        case Kind::Literal:
            return m_text;
        case Kind::Error:
            return m_detail;
        case Kind::Template:
            break;
    }
    return Fill(m_text, nullptr);
}

Phrase ListOf(std::vector<Phrase> items)
{
    if (items.empty()) return Phrase::Literal({});
    Phrase list = std::move(items.front());
    for (std::size_t i = 1; i < items.size(); ++i)
        list = Ph("{0}, {1}", std::move(list), std::move(items[i]));
    return list;
}

Phrase ListOf(const std::vector<std::string>& items)
{
    std::vector<Phrase> literals;
    for (const auto& s : items)
        literals.push_back(Phrase::Literal(s));
    return ListOf(std::move(literals));
}

}  // namespace pingyi
