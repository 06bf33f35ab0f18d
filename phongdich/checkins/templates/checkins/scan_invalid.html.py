BBBBBBB BBBBBBBBBBBBBBBBBBBBBBBBBBBBB BBBB
BBBBB BBBBB gettext(u'Mã QR không hợp lệ') BBBBBBBB
BBBBB BBBBXXXX XXXXXXXXXXXXXXXX XXXXXXXXXXXX gettext(u'Mã QR không hợp lệ') XXXXX
XXX gettext(u'Không tìm thấy địa điểm của mã QR này. Có thể mã bị in sai hoặc bị làm giả. Vui lòng quét mã QR chính thức dán tại địa điểm, hoặc báo cho cơ quan, đơn vị quản lý địa điểm.') XXXXXXXXXXBBBBBBBB
