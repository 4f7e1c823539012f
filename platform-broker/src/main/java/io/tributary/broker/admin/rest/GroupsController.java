package io.tributary.broker.admin.rest;

import java.util.List;
import io.tributary.broker.admin.service.GroupAdmin;
import io.tributary.broker.admin.service.GroupAdmin.GroupDescription;
import io.tributary.broker.admin.service.GroupAdmin.GroupListing;
import io.tributary.broker.admin.service.GroupAdmin.OffsetReset;
import io.tributary.broker.admin.service.GroupAdmin.OffsetResetResult;
import io.tributary.broker.admin.service.GroupAdmin.ResetPreview;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Consumer groups: list, describe (members with their assignments, offsets with lag) and reset the
 * offsets of a group that has no members, or preview that reset ({@link GroupAdmin}).
 */
@RestController
@RequestMapping("/api/groups")
class GroupsController {

    private final GroupAdmin groups;

    GroupsController(GroupAdmin groups) {
        this.groups = groups;
    }

    @GetMapping
    List<GroupListing> list() {
        return groups.list();
    }

    @GetMapping("/{groupId}")
    GroupDescription describe(@PathVariable String groupId) {
        return groups.describe(groupId);
    }

    @PostMapping("/{groupId}/offsets/reset")
    OffsetResetResult resetOffsets(@PathVariable String groupId, @RequestBody OffsetReset request) {
        return groups.resetOffsets(groupId, request);
    }

    /** What {@link #resetOffsets} would commit, next to the current offsets; changes nothing. */
    @PostMapping("/{groupId}/offsets/reset/preview")
    List<ResetPreview> previewReset(@PathVariable String groupId, @RequestBody OffsetReset request) {
        return groups.previewReset(groupId, request);
    }
}
