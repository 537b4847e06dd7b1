from django.urls import path

from kitab.comments import views_staff as comments_staff

from . import views, views_copycat, views_desk, views_patrons, views_registrations, views_rules
from . import views_copies, views_labels, views_lists
from . import views_holds
from . import views_editor

app_name = "staff"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("login/", views.StaffLoginView.as_view(), name="login"),
    path("logout/", views.StaffLogoutView.as_view(), name="logout"),
    path("record/<int:pk>/marc/", views.record_marc, name="record_marc"),
    path("record/<int:pk>/marc.mrc", views.record_iso2709, name="record_iso2709"),
    path("record/<int:pk>/marc.xml", views.record_marcxml, name="record_marcxml"),
    # Users module
    path("patrons/", views_patrons.patron_search, name="patron_search"),
    path("patrons/new/", views_patrons.patron_register, name="patron_register"),
    path("patrons/<int:pk>/", views_patrons.patron_detail, name="patron_detail"),
    path("patrons/<int:pk>/edit/", views_patrons.patron_edit, name="patron_edit"),
    path("patrons/<int:pk>/renew-card/", views_patrons.patron_renew_card, name="patron_renew_card"),
    path("patrons/<int:pk>/block/", views_patrons.patron_block, name="patron_block"),
    path("patrons/<int:pk>/unblock/<int:block_pk>/", views_patrons.patron_unblock, name="patron_unblock"),
    path("patrons/<int:pk>/merge/", views_patrons.patron_merge, name="patron_merge"),
    path("patrons/<int:pk>/anonymise/", views_patrons.patron_anonymise, name="patron_anonymise"),
    path("patrons/<int:pk>/fines/", views_patrons.patron_fines, name="patron_fines"),
    path("patrons/<int:pk>/notices/", views_patrons.patron_notices, name="patron_notices"),
    path("patrons/<int:pk>/fines/receipt/<int:entry_pk>/", views_patrons.fine_receipt, name="fine_receipt"),
    path("registrations/", views_registrations.registrations, name="registrations"),
    path("registrations/<int:pk>/", views_registrations.registration_decide, name="registration_decide"),
    path("registrations/settings/", views_registrations.registration_settings, name="registration_settings"),
    # Circulation desk
    path("desk/", views_desk.desk, name="desk"),
    path("desk/branch/", views_desk.set_branch, name="set_branch"),
    path("desk/patron/<int:pk>/", views_desk.desk_patron, name="desk_patron"),
    path("desk/patron/<int:pk>/checkout/", views_desk.desk_checkout, name="desk_checkout"),
    path("desk/patron/<int:pk>/renew/", views_desk.desk_renew, name="desk_renew"),
    path("desk/patron/<int:pk>/hold/", views_desk.desk_hold, name="desk_hold"),
    path("desk/checkin/", views_desk.checkin, name="checkin"),
    path("desk/transits/", views_desk.transits, name="transits"),
    path("holds/", views_holds.branch_holds, name="holds"),
    path("holds/trap/", views_holds.trap_scanned, name="holds_trap"),
    path("holds/record/<int:pk>/", views_holds.record_queue, name="hold_queue"),
    path("holds/<int:pk>/", views_holds.hold_action, name="hold_action"),
    # Rules and calendars
    path("rules/", views_rules.rules, name="rules"),
    path("rules/new/", views_rules.rule_edit, name="rule_new"),
    path("rules/<int:pk>/edit/", views_rules.rule_edit, name="rule_edit"),
    path("rules/<int:pk>/delete/", views_rules.rule_delete, name="rule_delete"),
    path("rules/test/", views_rules.rule_tester, name="rule_tester"),
    path("calendar/", views_rules.branch_calendar, name="calendar"),
    # Copy cataloguing
    path("copycat/", views_copycat.copycat_search, name="copycat"),
    path("copycat/import/", views_copycat.copycat_import, name="copycat_import"),
    path("copycat/imported/<int:pk>/", views_copycat.copycat_imported, name="copycat_imported"),
    # Cataloguing workbench: records (MARC editor, guided form, drafts, history, duplicates, merge, delete)
    path("cataloguing/", views_editor.cataloguing_home, name="cataloguing"),
    path("cataloguing/new/", views_editor.editor_new, name="cataloguing_new"),
    path("cataloguing/drafts/<int:pk>/", views_editor.editor_draft, name="cataloguing_draft"),
    path("cataloguing/drafts/<int:pk>/discard/", views_editor.draft_discard, name="cataloguing_draft_discard"),
    path("record/<int:pk>/edit/", views_editor.editor_edit, name="record_edit"),
    path("record/<int:pk>/history/", views_editor.record_history, name="record_history"),
    path("record/<int:pk>/history/<int:number>/", views_editor.record_version, name="record_version"),
    path("record/<int:pk>/history/<int:number>/restore/", views_editor.record_restore, name="record_restore"),
    path("record/<int:pk>/delete/", views_editor.record_delete, name="record_delete"),
    path("record/<int:pk>/duplicates/", views_editor.record_duplicates, name="record_duplicates"),
    path("record/<int:pk>/merge/<int:other>/", views_editor.record_merge, name="record_merge"),
    # Patrons' comments on records (kitab.comments)
    path("comments/", comments_staff.queue, name="comments"),
    path("comments/<int:pk>/approve/", comments_staff.approve, name="comment_approve"),
    path("comments/<int:pk>/reject/", comments_staff.reject, name="comment_reject"),
    # Copies, labels and record lists (cataloguing workbench)
    path("copies/", views_copies.copy_search, name="copy_search"),
    path("copies/batch/", views_copies.copies_batch, name="copies_batch"),
    path("copies/<int:pk>/edit/", views_copies.copy_edit, name="copy_edit"),
    path("record/<int:pk>/copies/", views_copies.record_copies, name="record_copies"),
    path("record/<int:pk>/copies/add/", views_copies.add_copies, name="add_copies"),
    path("labels/", views_labels.labels, name="labels"),
    path("labels/preview.png", views_labels.labels_preview, name="labels_preview"),
    path("lists/", views_lists.lists, name="lists"),
    path("lists/add/", views_lists.add_to_list, name="add_to_list"),
    path("lists/add-search/", views_lists.add_search_to_list, name="add_search_to_list"),
    path("lists/<int:pk>/", views_lists.list_detail, name="list_detail"),
    path("lists/<int:pk>/export/", views_lists.list_export, name="list_export"),
    path("lists/<int:pk>/batch/<int:batch_pk>/undo/", views_lists.list_undo, name="list_undo"),
]
