package dev.sluice.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fresh run wipes only a directory that local-infra made; a kept run leaves it as it is. */
class DirectoryTest {

    @TempDir
    Path dir;

    @Test
    void refusesToWipeAForeignDirectory() throws Exception {
        Files.writeString(dir.resolve("precious.txt"), "mine");
        assertThatThrownBy(() -> LocalInfra.builder().directory(dir).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("refusing to wipe");
        assertThat(dir.resolve("precious.txt")).exists();
    }

    @Test
    void freshRunWipesItsOwnDirectoryAndKeptRunKeepsIt() throws Exception {
        LocalInfra.builder().directory(dir).build().close();
        Files.writeString(dir.resolve("old-data"), "from the last run");

        LocalInfra.builder().directory(dir).keepData(true).build().close();
        assertThat(dir.resolve("old-data")).exists();

        LocalInfra.builder().directory(dir).build().close();
        assertThat(dir.resolve("old-data")).doesNotExist();
        assertThat(dir.resolve("launcher/dev/sluice/infra/launch/ChildMain.class")).exists();
    }

    @Test
    void aDirectoryInUseIsRefusedUntilItsOwnerCloses() {
        try (LocalInfra first = LocalInfra.builder().directory(dir).build()) {
            assertThatThrownBy(() -> LocalInfra.builder().directory(dir).build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("in use by another running local-infra");
        }
        LocalInfra.builder().directory(dir).build().close();
    }
}
