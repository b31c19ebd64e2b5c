#include "core/qr.hpp"

#include <qrencode.h>

#include <cerrno>
#include <memory>
#include <string>
#include <system_error>

namespace pingyi {
namespace {

QRecLevel ToQrLevel(QrLevel level)
{
    switch (level) {
        case QrLevel::kL:
            return QR_ECLEVEL_L;
        case QrLevel::kM:
            return QR_ECLEVEL_M;
        case QrLevel::kQ:
            return QR_ECLEVEL_Q;
        case QrLevel::kH:
            return QR_ECLEVEL_H;
    }
    return QR_ECLEVEL_M;
}

struct QrCodeFree {
    void operator()(QRcode* q) const { QRcode_free(q); }
};

}  // namespace

Result<QrMatrix> EncodeQr(std::string_view payload, QrLevel level)
{
    if (payload.empty()) {
        return MakeError("pdf.qr", "empty QR payload");
    }
    if (payload.find('\0') != std::string_view::npos) {
        return MakeError("pdf.qr", "QR payload contains a NUL byte");
    }
    const std::string text(payload);
    errno = 0;
    std::unique_ptr<QRcode, QrCodeFree> code(QRcode_encodeString(text.c_str(), /*version=*/0, ToQrLevel(level),
                                                                 QR_MODE_8,
                                                                 /*casesensitive=*/1));
    if (!code) {
        const int err = errno;
        return MakeError("pdf.qr", "libqrencode could not encode " + std::to_string(payload.size()) +
                                       " bytes: " + std::generic_category().message(err));
    }
    QrMatrix m;
    m.size = code->width;
    const auto n = static_cast<std::size_t>(code->width) * static_cast<std::size_t>(code->width);
    m.dark.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        m.dark[i] = (code->data[i] & 1U) != 0;  // bit 0 is the module's colour
    }
    return m;
}

}  // namespace pingyi
