// The Admin page: the confirmation dialog for banning and unbanning.
import { bindConfirms } from "./confirm.js";

bindConfirms();
