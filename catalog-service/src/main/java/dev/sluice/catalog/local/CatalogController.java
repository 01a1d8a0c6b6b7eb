package dev.sluice.catalog.local;

import dev.sluice.catalog.FileCatalog;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The catalog, read-only: every database, its tables, their columns and partitions. */
@RestController
class CatalogController {

    private final FileCatalog catalog;

    CatalogController(FileCatalog catalog) {
        this.catalog = catalog;
    }

    @GetMapping("/catalog")
    Map<String, Object> catalog() {
        Map<String, Object> all = new LinkedHashMap<>();
        for (String database : catalog.databases()) {
            all.put(database, catalog.tableFiles(database));
        }
        return all;
    }
}
