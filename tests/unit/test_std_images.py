"""Images: pixels after each method (checked against the reference's definitions), odd inputs, gif_to_webp."""

import pytest
from PIL import Image as PILImage

from kit import FakeRuntime, call, raises
from ruff.runtime.builtins import images
from ruff.runtime.builtins.images import Image
from ruff.runtime.values import RuffError

RED, GREEN, BLUE, WHITE, BLACK = (255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255), (0, 0, 0)


@pytest.fixture()
def grid(tmp_path):
    """A 3 x 2 RGB image: red green blue / white black black, saved as PNG."""
    pil = PILImage.new("RGB", (3, 2))
    for (x, y), c in {(0, 0): RED, (1, 0): GREEN, (2, 0): BLUE, (0, 1): WHITE, (1, 1): BLACK, (2, 1): BLACK}.items():
        pil.putpixel((x, y), c)
    path = tmp_path / "grid.png"
    pil.save(path)
    return call("load_image", str(path))


def method(img, name, *args):
    return img.ruff_methods[name].fn(FakeRuntime(), [img, *args])


def pixels(img):
    return [[img.pil.getpixel((x, y)) for x in range(img.pil.width)] for y in range(img.pil.height)]


def test_fields_follow_the_reference(grid, tmp_path):
    assert (grid.ruff_field("width"), grid.ruff_field("height"), grid.ruff_field("format")) == (3.0, 2.0, "png")
    (tmp_path / "noext").write_bytes((tmp_path / "grid.png").read_bytes())
    assert call("load_image", str(tmp_path / "noext")).format == "unknown"
    with pytest.raises(RuffError, match="Image has no field 'size'"):
        grid.ruff_field("size")


def test_rotate_is_clockwise_and_flip_mirrors(grid):
    assert pixels(method(grid, "rotate", 90)) == [[WHITE, RED], [BLACK, GREEN], [BLACK, BLUE]]
    assert pixels(method(grid, "rotate", 270.9)) == [[BLUE, BLACK], [GREEN, BLACK], [RED, WHITE]]
    assert pixels(method(grid, "rotate", 180))[0] == [BLACK, BLACK, WHITE]
    assert pixels(method(grid, "flip", "horizontal")) == [[BLUE, GREEN, RED], [BLACK, BLACK, WHITE]]
    assert pixels(method(grid, "flip", "vertical")) == [[WHITE, BLACK, BLACK], [RED, GREEN, BLUE]]
    assert pixels(grid)[0] == [RED, GREEN, BLUE]  # methods never change the receiver


def test_crop_is_clipped_to_the_image(grid):
    assert pixels(method(grid, "crop", 1, 0, 1, 2)) == [[GREEN], [BLACK]]
    assert pixels(method(grid, "crop", 2, 1, 100, 100)) == [[BLACK]]
    empty = method(grid, "crop", 5, 5, 2, 2)
    assert (empty.pil.width, empty.pil.height) == (0, 0)
    assert pixels(method(grid, "crop", -3, 0, 1, 1)) == [[RED]]  # negative coordinates count as 0


def test_resize_exact_and_fit(grid):
    assert method(grid, "resize", 6, 1).pil.size == (6, 1)
    assert method(grid, "resize", 30, 30, "fit").pil.size == (30, 20)
    assert method(grid, "resize", 30, 4, "fit").pil.size == (6, 4)
    assert method(grid, "resize", 1, 1, "fit").pil.size == (1, 1)
    assert method(grid, "resize", 9.9, 2.2, "other").pil.size == (9, 2)
    with pytest.raises(RuffError, match="resize failed"):
        method(grid, "resize", 0, 3)
    with pytest.raises(RuffError, match="resize failed: 100000x100000 is more than"):
        method(grid, "resize", 100000, 100000)


def test_brightness_adds_fifty_per_unit_and_keeps_alpha(tmp_path):
    pil = PILImage.new("RGBA", (1, 1), (100, 200, 10, 77))
    pil.save(tmp_path / "a.png")
    img = call("load_image", str(tmp_path / "a.png"))
    assert method(img, "adjust_brightness", 1).pil.getpixel((0, 0)) == (150, 250, 60, 77)
    assert method(img, "adjust_brightness", 2.5).pil.getpixel((0, 0)) == (225, 255, 135, 77)
    assert method(img, "adjust_brightness", -3).pil.getpixel((0, 0)) == (0, 50, 0, 77)


def test_contrast_uses_the_image_crate_formula(tmp_path):
    pil = PILImage.new("RGB", (2, 1))
    pil.putpixel((0, 0), (64, 128, 200))
    pil.putpixel((1, 0), (0, 255, 10))
    pil.save(tmp_path / "c.png")
    img = call("load_image", str(tmp_path / "c.png"))
    out = method(img, "adjust_contrast", 50)

    def expect(c):
        return int(min(max(((c / 255 - 0.5) * 1.5 ** 2 + 0.5) * 255, 0), 255))

    assert out.pil.getpixel((0, 0)) == tuple(expect(c) for c in (64, 128, 200))
    assert out.pil.getpixel((1, 0)) == (0, 255, expect(10))
    assert method(img, "adjust_contrast", 0).pil.getpixel((0, 0)) == (64, 128, 200)


def test_grayscale_blur_and_save_round_trip(grid, tmp_path):
    gray = method(grid, "to_grayscale")
    assert gray.pil.mode == "L" and gray.pil.getpixel((0, 1)) == 255 and gray.pil.getpixel((1, 1)) == 0
    blurred = method(gray, "blur", 2)
    assert blurred.pil.size == (3, 2) and blurred.pil.getpixel((0, 1)) < 255
    assert method(grid, "blur", 0).pil.getpixel((0, 0)) == RED
    assert method(gray, "save", str(tmp_path / "g.bmp")) is True
    again = call("load_image", str(tmp_path / "g.bmp"))
    assert again.format == "bmp" and again.pil.getpixel((0, 1)) == 255


def test_modes_without_direct_support_are_converted_on_load(tmp_path):
    pal = PILImage.new("P", (2, 2))
    pal.putpalette([10, 20, 30] * 256)
    pal.save(tmp_path / "p.png")
    img = call("load_image", str(tmp_path / "p.png"))
    assert img.pil.mode == "RGB" and img.pil.getpixel((0, 0)) == (10, 20, 30)
    assert method(img, "blur", 1).pil.mode == "RGB"
    PILImage.new("LA", (1, 1), (5, 9)).save(tmp_path / "la.png")
    assert method(call("load_image", str(tmp_path / "la.png")), "to_grayscale").pil.mode == "LA"


def test_unreadable_images_are_ruff_errors(tmp_path, grid):
    good = (tmp_path / "grid.png").read_bytes()
    (tmp_path / "cut.png").write_bytes(good[: len(good) // 2])
    msg = raises("load_image", str(tmp_path / "cut.png"), match=f"Cannot load image '{tmp_path / 'cut.png'}': ")
    assert "Traceback" not in msg
    (tmp_path / "empty.jpg").write_bytes(b"")
    raises("load_image", str(tmp_path / "empty.jpg"), match="The image format could not be determined")
    raises("load_image", str(tmp_path), match="Is a directory (os error 21)")
    raises("load_image", str(tmp_path / "nope.gif"), match="No such file or directory (os error 2)")
    with pytest.raises(RuffError, match="Failed to save image: No such file or directory"):
        method(grid, "save", str(tmp_path / "missing" / "x.png"))
    with pytest.raises(RuffError, match="Failed to save image: unknown file extension: .zzz"):
        method(grid, "save", str(tmp_path / "x.zzz"))


def test_gif_to_webp_keeps_every_frame(tmp_path):
    frames = [PILImage.new("RGB", (8, 8), c) for c in (RED, GREEN, BLUE)]
    frames[0].save(tmp_path / "anim.gif", save_all=True, append_images=frames[1:], duration=50, loop=0)
    assert call("gif_to_webp", str(tmp_path / "anim.gif"), str(tmp_path / "anim.webp"), 60, 2, True) is True
    with PILImage.open(tmp_path / "anim.webp") as webp:
        assert webp.format == "WEBP" and getattr(webp, "n_frames", 1) == 3
        webp.seek(2)
        assert webp.convert("RGB").getpixel((4, 4)) == BLUE
    (tmp_path / "text.gif").write_text("GIF? no")
    raises("gif_to_webp", str(tmp_path / "text.gif"), str(tmp_path / "t.webp"),
           match="gif_to_webp failed: The image format could not be determined")
    raises("gif_to_webp", str(tmp_path / "anim.gif"), str(tmp_path / "t.webp"), 50, -1,
           match="gif_to_webp method must be in range 0-6")


def test_every_image_method_is_registered():
    assert set(images.Image.ruff_methods) >= {"resize", "crop", "rotate", "flip", "save", "to_grayscale", "blur",
                                              "adjust_brightness", "adjust_contrast"}
    assert set(images.reg.functions) == {"load_image", "gif_to_webp"}
    assert Image.ruff_type_name == "image"
