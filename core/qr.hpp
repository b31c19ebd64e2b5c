// QR codes as a matrix of modules, with libqrencode: the PDFs draw them as rectangles (the
// voting-code slips), the kiosk paints them on its receipt screen (the tracking code). A
// library of its own so that the kiosk links no PDF or spreadsheet library.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "crypto/result.hpp"

namespace pingyi {

enum class QrLevel { kL, kM, kQ, kH };

// A QR symbol: size × size modules, row-major, true = dark. Quiet zone not included.
struct QrMatrix {
    int size = 0;
    std::vector<bool> dark;
    [[nodiscard]] bool At(int x, int y) const
    {
        return dark[static_cast<std::size_t>(y) * static_cast<std::size_t>(size) + static_cast<std::size_t>(x)];
    }
    friend bool operator==(const QrMatrix&, const QrMatrix&) = default;
};

// Encodes `payload` (bytes, typically UTF-8; no NUL) with libqrencode, automatic mode
// selection, 8-bit for non-alphanumeric data. Error "pdf.qr" if it cannot.
[[nodiscard]] Result<QrMatrix> EncodeQr(std::string_view payload, QrLevel level = QrLevel::kM);

}  // namespace pingyi
