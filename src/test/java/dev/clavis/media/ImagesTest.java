package dev.clavis.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import dev.clavis.testing.TestImages;
import java.awt.Color;
import org.junit.jupiter.api.Test;

class ImagesTest {
    private final Images images = new Images(40_000_000);

    @Test
    void an_image_for_a_sampling_model_is_decoded_at_the_size_it_samples() throws MediaRejected {
        for (String format : new String[] {"jpeg", "png"}) {
            byte[] image = TestImages.solid(Color.ORANGE, 512, 384, format);
            Images.Decoded whole = images.decode(image);
            assertEquals(512, whole.width());
            Images.Decoded sampled = images.decode(image, 128 * 128);
            // Every 3rd pixel of every 3rd row: at least the pixels asked for, never fewer.
            assertEquals(171, sampled.width(), format);
            assertEquals(128, sampled.height(), format);
            assertEquals(whole.pixels().getRGB(300, 200), sampled.pixels().getRGB(100, 66), format);
            assertEquals(64, images.decode(TestImages.solid(Color.ORANGE, 64, 64, format), 128 * 128).width(), "small ones whole");
        }
    }

    @Test
    void the_pixel_budget_holds_for_sampled_decoding_too() {
        MediaRejected bomb = assertThrows(MediaRejected.class, () -> images.decode(TestImages.pngDeclaring(100_000, 100_000), 16_384));
        assertEquals(30105, bomb.code().getNumber());
    }
}
