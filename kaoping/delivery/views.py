"""Pages of outbound delivery: one's channels (我的账号), the failures page of the
committee admins (发送失败) with its retry, and an organisation's group robots."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kaoping.kit.answers import form_done, form_page, form_page_again, form_saved
from kaoping.kit.confirm import confirm_page, confirmed

from . import selectors, services
from .forms import ChannelsForm, RobotForm


@login_required
@require_http_methods(["GET", "POST"])
def channels(request):
    actor = request.user
    pref = selectors.preference_of(actor)
    initial = {"address": actor.email, "email": pref.email, "sms": pref.sms, "digest": pref.digest}
    form = ChannelsForm(request.POST if request.method == "POST" else None, initial=initial)

    def save(data):
        services.channel_preference_set(
            actor=actor,
            email=data["email"],
            sms=data["sms"],
            digest=data["digest"],
            address=data["address"],
        )
        return reverse("accounts:account") + "#channels", _("消息渠道已保存。")

    return form_saved(request, form, save) or form_page(
        request,
        title=_("消息渠道"),
        form=form,
        action=reverse("delivery:channels"),
        back=reverse("accounts:account"),
        submit=_("保存"),
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def failures(request):
    actor = request.user
    context = {
        "deliveries": list(selectors.failed_deliveries(actor=actor)[:200]),
        "messages_failed": list(selectors.failed_group_messages(actor=actor)[:200]),
    }
    return render(request, "delivery/failures.html", context)


def _retry(request, row, service, what: str):
    back = reverse("delivery:failures")
    if not confirmed(request):
        return confirm_page(
            request,
            title=_("重新发送"),
            consequences=[_("将重新发送：%(what)s。") % {"what": what}],
            submit=_("重新发送"),
            back=back,
        )
    service(actor=request.user, **row)
    return form_done(request, back, _("已重新安排发送。"))


@login_required
@require_POST
def delivery_retry(request, pk: int):
    delivery = selectors.delivery_for_admin(actor=request.user, pk=pk)
    what = _("给 %(user)s 的%(channel)s") % {
        "user": delivery.user.get_username(),
        "channel": delivery.get_channel_display(),
    }
    return _retry(request, {"delivery": delivery}, services.delivery_retry, what)


@login_required
@require_POST
def group_message_retry(request, pk: int):
    message = selectors.group_message_for_admin(actor=request.user, pk=pk)
    what = _("群机器人 %(robot)s 的消息") % {"robot": message.robot.name}
    return _retry(request, {"message": message}, services.group_message_retry, what)


@login_required
@require_http_methods(["GET", "POST"])
def robots(request, code: str):
    actor = request.user
    org = selectors.organization_for_robots(actor=actor, code=code)
    form = RobotForm(request.POST if request.method == "POST" else None)
    here = reverse("delivery:robots", args=[org.code])

    def save(data):
        services.group_robot_add(actor=actor, organization=org, **data)
        return here, _("群机器人已添加。")

    saved = form_saved(request, form, save)
    if saved is not None:
        return saved
    context = {
        "org": org,
        "robots": list(selectors.robots_of(actor=actor, organization=org)),
        "form": form,
    }
    return form_page_again(request, "delivery/robots.html", context)


@login_required
@require_POST
def robot_remove(request, pk: int):
    robot = selectors.robot_for_admin(actor=request.user, pk=pk)
    back = reverse("delivery:robots", args=[robot.organization.code])
    if not confirmed(request):
        return confirm_page(
            request,
            title=_("删除群机器人"),
            consequences=[_("%(name)s 将不再收到群消息。") % {"name": robot.name}],
            submit=_("删除"),
            back=back,
        )
    services.group_robot_remove(actor=request.user, robot=robot)
    return form_done(request, back, _("群机器人已删除。"))


@login_required
@require_POST
def robot_test(request, pk: int):
    robot = selectors.robot_for_admin(actor=request.user, pk=pk)
    services.group_robot_test(actor=request.user, robot=robot)
    back = reverse("delivery:robots", args=[robot.organization.code])
    return form_done(request, back, _("测试消息已安排发送。"))
