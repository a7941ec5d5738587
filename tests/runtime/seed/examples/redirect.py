from specloom.runtime.status_codes import HTTP_302_FOUND
from specloom.runtime import get
from specloom.runtime.response import Redirect


@get(path="/some-path", status_code=HTTP_302_FOUND)
def redirect() -> Redirect:
    # do some stuff here
    # ...
    # finally return redirect
    return Redirect(path="/other-path")
