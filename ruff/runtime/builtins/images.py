"""Images, on Pillow: load_image, the Image value's fields and methods, and gif_to_webp.

    load_image(path)           an Image; fails "Cannot load image 'p': No such file or directory (os error 2)"
                               or "Cannot load image 'p': <why the data is not an image>"
    img.width / img.height     floats, as in the reference; img.format is the path's extension, lowercase
    img.resize(w, h [, "fit"]) exactly w x h, or ("fit") the largest size with the same aspect ratio inside it
    img.crop(x, y, w, h)       the rectangle, clipped to the image
    img.rotate(90|180|270)     clockwise
    img.flip("horizontal"|"vertical")
    img.to_grayscale()  img.blur(sigma)  img.adjust_brightness(factor)  img.adjust_contrast(percent)
                               brightness adds factor*50 to each colour channel; contrast is the image
                               crate's: a channel c in 0..1 becomes (c - 0.5) * ((100 + percent) / 100)^2 + 0.5
    img.save(path)             true; the format follows the extension
    gif_to_webp(input, output [, quality 0-100 = 85, method 0-6 = 4, lossless = false])
                               true; every frame of the GIF goes to an animated WebP

Every method returns a new Image (images are values). Resampling is Lanczos, as in the reference.
"""

from __future__ import annotations

import os
from typing import Any

from ruff.limits import I64_MAX, I64_MIN
from ruff.runtime.values import OPAQUE_DISPLAY, Builtin, RuffError
from ruff.runtime.builtins._util import Registry, guard, python_error_text, rust_error_text

reg = Registry()

# Pillow modes the operations below all support; others (palette, CMYK, 16-bit, ...) are converted on load.
_DIRECT_MODES = ("L", "LA", "RGB", "RGBA")


class Image:
    """A decoded image and the format it was loaded as (the file extension)."""

    ruff_type_name = "image"
    __slots__ = ("pil", "format")

    def __init__(self, pil: Any, format: str) -> None:
        self.pil = pil
        self.format = format

    def ruff_display(self) -> str:
        return OPAQUE_DISPLAY

    def ruff_debug(self) -> str:
        return f"Image(format: {self.format})"

    def ruff_field(self, name: str) -> Any:
        if name == "width":
            return float(self.pil.width)
        if name == "height":
            return float(self.pil.height)
        if name == "format":
            return self.format
        raise RuffError(f"Image has no field '{name}'")


def _normal_mode(pil: Any) -> Any:
    if pil.mode in _DIRECT_MODES:
        return pil
    has_alpha = "A" in pil.getbands() or "transparency" in pil.info
    if pil.mode in ("I;16", "I;16B", "I;16L", "I", "F") and not has_alpha:
        return pil.convert("L")
    return pil.convert("RGBA" if has_alpha else "RGB")


def _load_error(path: str, e: BaseException) -> RuffError:
    from PIL import UnidentifiedImageError

    if isinstance(e, UnidentifiedImageError):
        why = "The image format could not be determined"
    elif isinstance(e, OSError) and e.errno is not None:
        why = rust_error_text(e)
    else:
        why = python_error_text(e)
    return RuffError(f"Cannot load image '{path}': {why}")


@reg("load_image")
def load_image(rt: Any, args: list) -> Image:
    if len(args) != 1 or type(args[0]) is not str:
        raise RuffError("load_image requires a string path argument")
    path = args[0]
    from PIL import Image as PILImage

    try:
        with PILImage.open(path) as opened:
            opened.load()  # decode now: a truncated or corrupt file fails here, not in a later method
            pil = _normal_mode(opened)
            if pil is opened:
                pil = opened.copy()
    except (OSError, ValueError, SyntaxError, EOFError) as e:  # Pillow's decoders raise all of these
        raise _load_error(path, e) from None
    ext = os.path.splitext(path)[1]
    return Image(pil, ext[1:].lower() if len(ext) > 1 else "unknown")


# ----------------------------------------------------------------------------- methods


def _number(v: Any) -> Any:
    return v if type(v) in (int, float) else None


def _u32(v: float) -> int:
    """Rust's `f32 as u32`: truncated, negative and NaN to 0, saturating at the top."""
    if v != v or v <= 0:
        return 0
    return min(int(v), 0xFFFFFFFF)


def _new(img: Image, pil: Any) -> Image:
    return Image(pil, img.format)


def _receiver(args: list) -> Image:
    if not args or type(args[0]) is not Image:
        raise RuffError("Expected Image for image method call")
    return args[0]


def _pillow(method: str, fn: Any) -> Any:
    """Pillow's refusals (a zero-size resize, a mode a format cannot store) as Ruff errors."""
    try:
        return fn()
    except (ValueError, OSError, MemoryError) as e:
        raise RuffError(f"{method} failed: {e}") from None


def img_resize(rt: Any, args: list) -> Image:
    img, rest = _receiver(args), args[1:]
    if len(rest) < 2:
        raise RuffError("resize requires at least width and height arguments")
    w, h = _number(rest[0]), _number(rest[1])
    if w is None or h is None:
        raise RuffError("resize requires numeric width and height")
    from PIL import Image as PILImage

    w, h = _u32(w), _u32(h)
    if len(rest) >= 3 and rest[2] == "fit":
        w, h = _fit(img.pil.width, img.pil.height, w, h)
    limit = 2 * (PILImage.MAX_IMAGE_PIXELS or 0)
    if limit and w * h > limit:  # Pillow's own "decompression bomb" bound: fail instead of exhausting memory
        raise RuffError(f"resize failed: {w}x{h} is more than {limit} pixels")
    return _new(img, _pillow("resize", lambda: img.pil.resize((w, h), PILImage.Resampling.LANCZOS)))


def _fit(width: int, height: int, w: int, h: int) -> tuple[int, int]:
    """The image crate's resize_dimensions(fill=false): keep the aspect ratio, fit inside w x h."""
    ratio = min(w / width, h / height)
    return max(round(width * ratio), 1), max(round(height * ratio), 1)


def img_crop(rt: Any, args: list) -> Image:
    img, rest = _receiver(args), args[1:]
    if len(rest) < 4:
        raise RuffError("crop requires x, y, width, and height arguments")
    nums = [_number(v) for v in rest[:4]]
    if any(n is None for n in nums):
        raise RuffError("crop requires numeric x, y, width, and height")
    x, y, w, h = (_u32(n) for n in nums)
    x, y = min(x, img.pil.width), min(y, img.pil.height)
    w, h = min(w, img.pil.width - x), min(h, img.pil.height - y)
    return _new(img, img.pil.crop((x, y, x + w, y + h)))


def img_rotate(rt: Any, args: list) -> Image:
    img, rest = _receiver(args), args[1:]
    if not rest:
        raise RuffError("rotate requires a degrees argument")
    degrees = _number(rest[0])
    if degrees is None:
        raise RuffError("rotate requires a numeric degrees argument")
    from PIL import Image as PILImage

    turns = {90: PILImage.Transpose.ROTATE_270, 180: PILImage.Transpose.ROTATE_180,
             270: PILImage.Transpose.ROTATE_90}  # Pillow turns counter-clockwise, the reference clockwise
    way = turns.get(int(degrees) if degrees == degrees and abs(degrees) < 2**31 else 0)
    if way is None:
        raise RuffError("rotate only supports 90, 180, or 270 degrees")
    return _new(img, img.pil.transpose(way))


def img_flip(rt: Any, args: list) -> Image:
    img, rest = _receiver(args), args[1:]
    if not rest:
        raise RuffError("flip requires a direction argument ('horizontal' or 'vertical')")
    if type(rest[0]) is not str:
        raise RuffError("flip requires a string direction argument")
    from PIL import Image as PILImage

    way = {"horizontal": PILImage.Transpose.FLIP_LEFT_RIGHT, "vertical": PILImage.Transpose.FLIP_TOP_BOTTOM}.get(rest[0])
    if way is None:
        raise RuffError("flip direction must be 'horizontal' or 'vertical'")
    return _new(img, img.pil.transpose(way))


def img_save(rt: Any, args: list) -> bool:
    img, rest = _receiver(args), args[1:]
    if not rest:
        raise RuffError("save requires a path argument")
    if type(rest[0]) is not str:
        raise RuffError("save requires a string path argument")
    try:
        img.pil.save(rest[0])
    except (OSError, ValueError, KeyError) as e:
        why = rust_error_text(e) if isinstance(e, OSError) and e.errno is not None else str(e)
        raise RuffError(f"Failed to save image: {why}") from None
    return True


def img_to_grayscale(rt: Any, args: list) -> Image:
    img = _receiver(args)
    return _new(img, img.pil.convert("LA" if "A" in img.pil.getbands() else "L"))


def img_blur(rt: Any, args: list) -> Image:
    img, rest = _receiver(args), args[1:]
    if not rest:
        raise RuffError("blur requires a sigma argument")
    sigma = _number(rest[0])
    if sigma is None:
        raise RuffError("blur requires a numeric sigma argument")
    from PIL import ImageFilter

    return _new(img, _pillow("blur", lambda: img.pil.filter(ImageFilter.GaussianBlur(radius=max(sigma, 0)))))


def _per_colour_channel(pil: Any, table: list[int]) -> Any:
    """Apply a 256-entry lookup table to the colour channels, leaving alpha alone."""
    bands = pil.getbands()
    lut: list[int] = []
    for band in bands:
        lut.extend(range(256) if band == "A" else table)
    return pil.point(lut)


def img_adjust_brightness(rt: Any, args: list) -> Image:
    img, rest = _receiver(args), args[1:]
    if not rest:
        raise RuffError("adjust_brightness requires a factor argument")
    factor = _number(rest[0])
    if factor is None:
        raise RuffError("adjust_brightness requires a numeric factor argument")
    delta = _i32(factor * 50.0)
    table = [min(max(c + delta, 0), 255) for c in range(256)]
    return _new(img, _per_colour_channel(img.pil, table))


def _i32(v: float) -> int:
    """Rust's `f64 as i32` (saturating, NaN to 0)."""
    if v != v:
        return 0
    return int(max(min(v, 2**31 - 1), -(2**31)))


def img_adjust_contrast(rt: Any, args: list) -> Image:
    img, rest = _receiver(args), args[1:]
    if not rest:
        raise RuffError("adjust_contrast requires a factor argument")
    contrast = _number(rest[0])
    if contrast is None:
        raise RuffError("adjust_contrast requires a numeric factor argument")
    percent = ((100.0 + contrast) / 100.0) ** 2
    table = []
    for c in range(256):
        d = ((c / 255.0 - 0.5) * percent + 0.5) * 255.0
        table.append(int(min(max(d, 0.0), 255.0)) if d == d else 0)
    return _new(img, _per_colour_channel(img.pil, table))


_METHODS = {
    "resize": img_resize, "crop": img_crop, "rotate": img_rotate, "flip": img_flip, "save": img_save,
    "to_grayscale": img_to_grayscale, "blur": img_blur, "adjust_brightness": img_adjust_brightness,
    "adjust_contrast": img_adjust_contrast,
}


def _install_methods() -> None:
    import ruff.runtime.builtins as B

    table = dict(B._ANY_TABLE)
    table.update({name: Builtin(name, guard(name, fn)) for name, fn in _METHODS.items()})
    Image.ruff_methods = table  # type: ignore[attr-defined]


_install_methods()


# ----------------------------------------------------------------------------- gif_to_webp


def _int_option(args: list, i: int, default: int, wrong: str) -> int:
    if len(args) <= i:
        return default
    v = args[i]
    if type(v) is int:
        return v
    if type(v) is float:
        if v != v:
            return 0
        return int(v) if I64_MIN < v <= I64_MAX else (I64_MAX if v > 0 else I64_MIN)
    raise RuffError(wrong)


@reg("gif_to_webp")
def gif_to_webp(rt: Any, args: list) -> bool:
    if not 2 <= len(args) <= 5:
        raise RuffError("gif_to_webp requires 2 to 5 arguments: input_path, output_path, [quality(0-100)], "
                        "[method(0-6)], [lossless(bool)]")
    src, dst = args[0], args[1]
    if type(src) is not str:
        raise RuffError("gif_to_webp requires a string input_path argument")
    if type(dst) is not str:
        raise RuffError("gif_to_webp requires a string output_path argument")
    quality = _int_option(args, 2, 85, "gif_to_webp quality must be numeric (0-100)")
    method = _int_option(args, 3, 4, "gif_to_webp method must be numeric (0-6)")
    lossless = False
    if len(args) > 4:
        if type(args[4]) is not bool:
            raise RuffError("gif_to_webp lossless flag must be bool")
        lossless = args[4]
    if not 0 <= quality <= 100:
        raise RuffError("gif_to_webp quality must be in range 0-100")
    if not 0 <= method <= 6:
        raise RuffError("gif_to_webp method must be in range 0-6")
    if not os.path.exists(src):
        raise RuffError(f"gif_to_webp input file does not exist: {src}")
    from PIL import Image as PILImage

    try:
        with PILImage.open(src) as gif:
            gif.save(dst, format="WEBP", save_all=True, quality=quality, method=method, lossless=lossless)
    except (OSError, ValueError, SyntaxError, EOFError, KeyError) as e:
        from PIL import UnidentifiedImageError

        if isinstance(e, UnidentifiedImageError):
            why = "The image format could not be determined"
        elif isinstance(e, OSError) and e.errno is not None:
            why = rust_error_text(e)
        else:
            why = str(e) or type(e).__name__
        raise RuffError(f"gif_to_webp failed: {why}") from None
    return True


__all__ = ["reg", "Image"]
