from django.urls import path

from . import views, views_account

app_name = "opac"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search_results, name="search"),
    path("search/suggest/", views.search_suggestions, name="suggest"),
    path("browse/<str:kind>/", views.browse_headings, name="browse"),
    path("record/<int:pk>/", views.record_detail, name="record"),
    # Patron accounts (views_account)
    path("record/<int:pk>/reserve/", views_account.place_hold, name="place_hold"),
    path("account/register/", views_account.register, name="register"),
    path("account/register/sent/", views_account.register_sent, name="register_sent"),
    path("account/confirm/<str:token>/", views_account.confirm_email, name="confirm_email"),
    path("account/login/", views_account.login_view, name="login"),
    path("account/logout/", views_account.logout_view, name="logout"),
    path("account/password/forgotten/", views_account.password_reset, name="password_reset"),
    path("account/reset/<uidb64>/<token>/", views_account.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("account/password/", views_account.PasswordChangeView.as_view(), name="password_change"),
    path("account/", views_account.account, name="account"),
    path("account/loans/", views_account.loans, name="account_loans"),
    path("account/loans/<int:pk>/renew/", views_account.renew, name="account_renew"),
    path("account/loans/renew-all/", views_account.renew_all, name="account_renew_all"),
    path("account/holds/", views_account.holds_view, name="account_holds"),
    path("account/holds/<int:pk>/cancel/", views_account.cancel_hold, name="account_hold_cancel"),
    path("account/holds/<int:pk>/suspend/", views_account.suspend_hold, name="account_hold_suspend"),
    path("account/holds/<int:pk>/resume/", views_account.resume_hold, name="account_hold_resume"),
    path("account/fines/", views_account.fines_view, name="account_fines"),
    path("account/history/", views_account.history, name="account_history"),
    path("account/history/switch/", views_account.history_switch, name="account_history_switch"),
    path("account/history/erase/", views_account.history_erase, name="account_history_erase"),
    path("account/history/reading-history.csv", views_account.history_csv, name="account_history_csv"),
    path("account/profile/", views_account.profile, name="account_profile"),
]
