"""The avatar pipeline through the real profile form: only clean squares are ever stored."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.avatars import DAMAGED, NOT_AN_ALLOWED_IMAGE
from accounts.models import AVATAR_SIZE, User
from bench.avatar_memory import tiny_lossless_webp
from tests.pages import text_of

TOO_COSTLY = "The picture is too large to process"


def image_bytes(fmt: str = "PNG", size=(300, 200), **save) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt, **save)
    return buffer.getvalue()


def upload(data: bytes, name: str = "me.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def member(client, make_member) -> User:
    member = make_member("erin", display_name="Erin")
    client.force_login(member)
    return member


def post_avatar(client, data: bytes, name: str = "me.png", **extra):
    return client.post(
        "/forums/users/erin/edit/",
        {"display_name": "Erin", "bio": "", "website": "", "avatar_upload": upload(data, name),
         **extra},
    )  # fmt: skip


def stored(member: User) -> Image.Image:
    member.refresh_from_db()
    with Image.open(member.avatar.path) as image:
        image.load()
        return image


@pytest.mark.django_db
class TestAccepted:
    @pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
    def test_each_allowed_format_becomes_a_webp_square(self, client, member, fmt):
        response = post_avatar(client, image_bytes(fmt), name=f"me.{fmt.lower()}")
        assert response.status_code == 302
        image = stored(member)
        assert (image.format, image.size) == ("WEBP", (AVATAR_SIZE, AVATAR_SIZE))
        assert member.avatar.name.startswith("avatars/")
        assert "me" not in member.avatar.name.removeprefix("avatars/")
        assert len(member.avatar.name.removeprefix("avatars/").removesuffix(".webp")) == 32

    def test_a_cameras_multi_picture_jpeg_is_accepted(self, client, member):
        buffer = BytesIO()
        Image.new("RGB", (300, 200)).save(
            buffer, format="MPO", save_all=True, append_images=[Image.new("RGB", (300, 200))]
        )
        assert post_avatar(client, buffer.getvalue(), name="3d.jpg").status_code == 302
        assert stored(member).size == (AVATAR_SIZE, AVATAR_SIZE)

    def test_an_animated_gif_keeps_its_first_frame(self, client, member):
        red, blue = (
            Image.new("RGB", (200, 200), (255, 0, 0)),
            Image.new("RGB", (200, 200), (0, 0, 255)),
        )
        buffer = BytesIO()
        red.save(buffer, format="GIF", save_all=True, append_images=[blue], duration=100, loop=0)
        post_avatar(client, buffer.getvalue(), name="anim.gif")
        image = stored(member)
        assert getattr(image, "n_frames", 1) == 1
        red, _, blue = image.convert("RGB").getpixel((80, 80))
        assert red > 200 and blue < 50

    def test_the_exif_orientation_is_applied(self, client, member):
        # Red on the left, blue on the right, and "rotate 90° clockwise to show": upright,
        # red is on top.
        picture = Image.new("RGB", (200, 100), (0, 0, 255))
        picture.paste((255, 0, 0), (0, 0, 100, 100))
        exif = Image.Exif()
        exif[0x0112] = 6
        buffer = BytesIO()
        picture.save(buffer, format="JPEG", exif=exif.tobytes())
        post_avatar(client, buffer.getvalue(), name="turned.jpg")
        image = stored(member).convert("RGB")
        assert image.getpixel((80, 10))[0] > 200  # red at the top
        assert image.getpixel((80, 150))[2] > 200  # blue at the bottom

    def test_exif_and_appended_bytes_are_gone(self, client, member):
        exif = Image.Exif()
        exif[0x010F] = "SecretCam"  # Make
        exif[0x0112] = 6  # Orientation: rotate 90°
        data = image_bytes("JPEG", size=(200, 100), exif=exif.tobytes()) + b"<?php evil(); ?>"
        post_avatar(client, data, name="me.jpg")
        member.refresh_from_db()
        with member.avatar.open("rb") as stored_file:
            raw = stored_file.read()
        assert b"SecretCam" not in raw
        assert b"evil" not in raw
        assert not stored(member).getexif()

    def test_a_big_baseline_photo_at_the_pixel_cap_is_accepted(self, client, member):
        # A baseline JPEG decodes at 1/8 scale: 40 million pixels cost a few megabytes.
        data = image_bytes("JPEG", size=(6_300, 6_300), quality=10)
        assert post_avatar(client, data, name="photo.jpg").status_code == 302
        assert stored(member).size == (AVATAR_SIZE, AVATAR_SIZE)

    def test_a_transparent_gif_at_the_pixel_cap_keeps_its_transparency(self, client, member):
        # One byte a pixel: 40 million of them fit the decoding budget, and the square is made
        # band by band rather than from a full-size RGBA copy.
        picture = Image.new("P", (6_300, 6_300), 1)
        picture.putpalette([0, 0, 0, 255, 0, 0])
        picture.paste(0, (0, 0, 6_300, 3_150))  # top half: the transparent colour
        buffer = BytesIO()
        picture.save(buffer, format="GIF", transparency=0)
        assert post_avatar(client, buffer.getvalue(), name="half.gif").status_code == 302
        image = stored(member).convert("RGBA")
        assert image.getpixel((80, 10))[3] == 0
        red, green, _, alpha = image.getpixel((80, 150))
        assert (red > 240, green < 20, alpha) == (True, True, 255)

    def test_the_avatar_shows_beside_posts_and_on_the_profile(self, client, member, make_topic):
        post_avatar(client, image_bytes())
        member.refresh_from_db()
        topic = make_topic(author=member)
        img = f'<img class="avatar avatar--image" src="{member.avatar.url}" alt=""'
        assert img in client.get(topic.get_absolute_url()).content.decode()
        assert img in client.get("/forums/users/erin/").content.decode()

    def test_a_new_avatar_replaces_the_old_file(
        self, client, member, tmp_path, django_capture_on_commit_callbacks
    ):
        post_avatar(client, image_bytes())
        member.refresh_from_db()
        first = member.avatar.path
        with django_capture_on_commit_callbacks(execute=True):
            post_avatar(client, image_bytes("JPEG"), name="two.jpg")
        member.refresh_from_db()
        assert member.avatar.path != first
        assert sorted(p.name for p in (tmp_path / "avatars").iterdir()) == [
            member.avatar.name.removeprefix("avatars/")
        ]

    def test_removing_the_avatar_brings_back_the_initials(self, client, member):
        post_avatar(client, image_bytes())
        client.post(
            "/forums/users/erin/edit/",
            {"display_name": "Erin", "bio": "", "website": "", "remove_avatar": "on"},
        )
        member.refresh_from_db()
        assert not member.avatar
        assert 'aria-hidden="true">E</span>' in client.get("/forums/users/erin/").content.decode()


@pytest.mark.django_db
class TestRefused:
    @pytest.fixture
    def with_avatar(self, client, member) -> str:
        post_avatar(client, image_bytes())
        member.refresh_from_db()
        return member.avatar.name

    def assert_refused(self, client, member, data, name, message, old_name):
        response = post_avatar(client, data, name=name, bio="Should not be saved")
        assert response.status_code == 200
        assert message in text_of(response)
        assert 'aria-describedby="id_avatar_upload_helptext id_avatar_upload_error"' in (
            response.content.decode()
        )
        member.refresh_from_db()
        assert member.avatar.name == old_name
        assert member.avatar.storage.exists(old_name)
        assert member.bio == ""

    def test_text_renamed_as_png(self, client, member, with_avatar):
        self.assert_refused(
            client, member, b"just text, not a picture", "evil.png",
            NOT_AN_ALLOWED_IMAGE, with_avatar,
        )  # fmt: skip

    @pytest.mark.parametrize("fmt", ["BMP", "TIFF", "ICO", "PPM"])
    def test_formats_outside_the_list(self, client, member, with_avatar, fmt):
        self.assert_refused(
            client, member, image_bytes(fmt, size=(64, 64)), "me.png",
            NOT_AN_ALLOWED_IMAGE, with_avatar,
        )  # fmt: skip

    def test_a_truncated_png(self, client, member, with_avatar):
        data = image_bytes(size=(400, 400))
        self.assert_refused(
            client, member, data[: len(data) // 2], "cut.png",
            DAMAGED, with_avatar,
        )  # fmt: skip

    def test_a_file_over_the_byte_cap(self, client, member, with_avatar, settings):
        settings.AVATAR_MAX_BYTES = 1_000
        self.assert_refused(
            client, member, image_bytes() + b"\0" * 2_000, "big.png",
            "The file is too big: avatars may be at most 1 KB.", with_avatar,
        )  # fmt: skip

    # Over the cap, Pillow warns (the warning is raised as an error); over twice the cap it
    # raises DecompressionBombError itself. Both are refused before a pixel is decoded.
    @pytest.mark.parametrize("size", [(400, 300), (1_000, 1_000)])
    def test_a_picture_over_the_pixel_cap(self, client, member, with_avatar, settings, size):
        settings.AVATAR_MAX_PIXELS = 100_000
        self.assert_refused(
            client, member, image_bytes(size=size), "huge.png",
            "avatars may have at most 0.1 million pixels", with_avatar,
        )  # fmt: skip

    def test_a_tiny_webp_whose_pixels_need_too_much_memory(self, client, member, with_avatar):
        # 30 bytes, 6,300 × 6,300 pixels: under the pixel cap, but libwebp would need some
        # 16 bytes a pixel (635 MB) to decode it. Refused from the header.
        self.assert_refused(
            client, member, tiny_lossless_webp(6_300, 6_300), "tiny.webp",
            f"{TOO_COSTLY}: a picture like this one may have at most about 3.0 million "
            "pixels. Please upload a smaller picture.", with_avatar,
        )  # fmt: skip

    def test_a_progressive_jpeg_whose_decoding_needs_too_much_memory(
        self, client, member, with_avatar
    ):
        # A progressive JPEG is decoded from full-size coefficients whatever its draft scale:
        # 3 bytes a pixel here, 120 MB.
        data = image_bytes("JPEG", size=(6_300, 6_300), quality=10, progressive=True)
        self.assert_refused(client, member, data, "progressive.jpg", TOO_COSTLY, with_avatar)

    def test_an_rgba_png_whose_decoding_needs_too_much_memory(self, client, member, with_avatar):
        buffer = BytesIO()
        Image.new("RGBA", (4_000, 4_000)).save(buffer, format="PNG")
        self.assert_refused(
            client, member, buffer.getvalue(), "big.png",
            f"{TOO_COSTLY}: a picture like this one may have at most about 12.0 million pixels",
            with_avatar,
        )  # fmt: skip

    def test_pillows_own_limit_is_left_as_it_was(self, client, member, settings):
        before = Image.MAX_IMAGE_PIXELS
        settings.AVATAR_MAX_PIXELS = 100_000
        post_avatar(client, image_bytes(size=(400, 300)))
        assert before == Image.MAX_IMAGE_PIXELS

    def test_a_decompression_bomb_is_caught_before_decoding(
        self, client, member, with_avatar, settings
    ):
        # 50 million pixels of one colour compress to a few kilobytes.
        settings.AVATAR_MAX_PIXELS = 40_000_000
        buffer = BytesIO()
        Image.new("1", (10_000, 5_000)).save(buffer, format="PNG", optimize=True)
        self.assert_refused(
            client, member, buffer.getvalue(), "bomb.png",
            "avatars may have at most 40 million pixels", with_avatar,
        )  # fmt: skip
