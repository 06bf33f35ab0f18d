BBBBBBB BBBBBBBBBBBBBBBBBBBBBBBBBBBBB BBBB
BBBBB BBBBB gettext(u'Địa điểm đã ngừng sử dụng') BBBBBBBB
BBBBB BBBBBXXXXXX X XXXXXXXBBBBBBBB
BBBBB BBBBXXXX XXXXXXXXXXXXXXXX XXXXXXXXXXXX gettext(u'Địa điểm đã ngừng sử dụng') XXXXX
XXX gettext(u'Địa điểm của mã QR này đã ngừng sử dụng, không cần quét mã tại đây.') XXXXXXXXXXBBBBBBBB
