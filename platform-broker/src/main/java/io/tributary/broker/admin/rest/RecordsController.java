package io.tributary.broker.admin.rest;

import java.net.URI;
import io.tributary.broker.admin.service.RecordBrowser;
import io.tributary.broker.admin.service.RecordBrowser.BrowseRequest;
import io.tributary.broker.admin.service.RecordBrowser.ProduceRecord;
import io.tributary.broker.admin.service.RecordBrowser.Produced;
import io.tributary.broker.admin.service.RecordBrowser.RecordFilter;
import io.tributary.broker.admin.service.RecordBrowser.RecordPage;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Browsing a partition's committed records — from an offset, a timestamp or the newest, optionally
 * filtered by key, header or a value substring — and producing a record ({@link RecordBrowser}).
 */
@RestController
@RequestMapping("/api/topics/{name}")
class RecordsController {

    private final RecordBrowser records;

    RecordsController(RecordBrowser records) {
        this.records = records;
    }

    @GetMapping("/partitions/{partition}/records")
    RecordPage browse(@PathVariable String name, @PathVariable int partition,
            @RequestParam(required = false) Long offset, @RequestParam(required = false) Long timestamp,
            @RequestParam(defaultValue = "false") boolean newest,
            @RequestParam(defaultValue = "" + RecordBrowser.DEFAULT_LIMIT) int limit,
            @RequestParam(required = false) String key, @RequestParam(required = false) String header,
            @RequestParam(required = false) String headerValue, @RequestParam(required = false) String contains) {
        return records.browse(name, partition, new BrowseRequest(offset, timestamp, newest, limit,
                new RecordFilter(key, header, headerValue, contains)));
    }

    @PostMapping("/records")
    ResponseEntity<Produced> produce(@PathVariable String name, @RequestBody ProduceRecord request,
            UriComponentsBuilder uri) {
        Produced produced = records.produce(name, request);
        URI location = uri.path("/api/topics/{name}/partitions/{partition}/records")
                .queryParam("offset", produced.offset()).queryParam("limit", 1)
                .buildAndExpand(name, produced.partition()).toUri();
        return ResponseEntity.created(location).body(produced);
    }
}
