"""Independent PNG decoder for RPTDose tests (standard library only: zlib and struct).

Checks the signature and every chunk CRC; supports 8-bit RGB/RGBA, non-interlaced, all five filter types.
Shared by the report test targets so that the reference decoder exists once.
"""
import struct, zlib

def decode(data):
    """Decodes 8-bit RGB/RGBA non-interlaced PNG bytes: (width, height, channels, pixels)."""
    assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG signature'
    pos, idat, ihdr = 8, b'', None
    while pos < len(data):
        n, = struct.unpack('>I', data[pos:pos+4]); kind = data[pos+4:pos+8]; body = data[pos+8:pos+8+n]
        crc, = struct.unpack('>I', data[pos+8+n:pos+12+n])
        assert zlib.crc32(kind + body) & 0xffffffff == crc, 'CRC mismatch in ' + kind.decode()
        if kind == b'IHDR': ihdr = struct.unpack('>IIBBBBB', body)
        elif kind == b'IDAT': idat += body
        elif kind == b'IEND': break
        pos += 12 + n
    w, h, depth, ctype, comp, filt, interlace = ihdr
    assert depth == 8 and interlace == 0 and ctype in (2, 6), 'unsupported PNG %r' % (ihdr,)
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(idat); stride = w * bpp
    out = bytearray(h * stride); prev = bytearray(stride); i = 0
    for y in range(h):
        f = raw[i]; i += 1
        line = bytearray(raw[i:i+stride]); i += stride
        if f == 1:
            for x in range(bpp, stride): line[x] = (line[x] + line[x-bpp]) & 255
        elif f == 2:
            for x in range(stride): line[x] = (line[x] + prev[x]) & 255
        elif f == 3:
            for x in range(stride):
                a = line[x-bpp] if x >= bpp else 0
                line[x] = (line[x] + ((a + prev[x]) >> 1)) & 255
        elif f == 4:
            for x in range(stride):
                a = line[x-bpp] if x >= bpp else 0; b = prev[x]; c = prev[x-bpp] if x >= bpp else 0
                p = a + b - c; pa, pb, pc = abs(p-a), abs(p-b), abs(p-c)
                pr = a if (pa <= pb and pa <= pc) else (b if pb <= pc else c)
                line[x] = (line[x] + pr) & 255
        elif f != 0:
            raise ValueError('bad filter type %d' % f)
        out[y*stride:(y+1)*stride] = line; prev = line
    return w, h, bpp, bytes(out)
