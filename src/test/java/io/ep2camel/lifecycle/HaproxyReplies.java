package io.ep2camel.lifecycle;

/**
 * Replies of a real HAProxy 2.6.12 (Debian 12) stats socket, byte for byte, to the progress route's two
 * reads ({@code show servers state web}, {@code show stat web 4 -1}), for one backend of eight servers on
 * 127.0.0.2 ... 127.0.0.9 port 18090 ({@code check inter 200ms}, except {@code nocheck}); nothing listens on
 * 127.0.0.9. Captured from {@code haproxy -W -D} with {@code socat}:
 * <ul>
 *   <li>{@code AT_START}: right after the start: {@code up}, {@code fresh} passed their first check (result 3),
 *   {@code down} failed it (op state 0), {@code nocheck} has none (check state 0), the four others are UP
 *   before their first check (op state 2, check status 1 INI, result 0): what a reload's new server looks
 *   like without a saved state;</li>
 *   <li>{@code LATER}: two seconds on, after {@code set server web/drained state drain},
 *   {@code set server web/draining state drain}, {@code set server web/maint state maint},
 *   {@code set server web/busy state maint}; {@code draining} and {@code busy} each still have the one
 *   request (a backend that never answers) routed to them before (scur 1).</li>
 * </ul>
 */
final class HaproxyReplies {
    private HaproxyReplies() {
    }

    /** show servers state web, right after the start. */
    static final String STATE_AT_START = """
            1
            # be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port
            2 web 1 up 127.0.0.2 2 0 1 1 0 6 3 4 6 0 0 0 - 18090 - 0 0 - - 0
            2 web 2 fresh 127.0.0.3 2 0 1 1 0 6 3 4 6 0 0 0 - 18090 - 0 0 - - 0
            2 web 3 down 127.0.0.9 0 0 1 1 0 8 2 0 6 0 0 0 - 18090 - 0 0 - - 0
            2 web 4 nocheck 127.0.0.4 2 0 1 1 0 1 0 2 0 0 0 0 - 18090 - 0 0 - - 0
            2 web 5 drained 127.0.0.5 2 0 1 1 0 1 0 2 6 0 0 0 - 18090 - 0 0 - - 0
            2 web 6 maint 127.0.0.6 2 0 1 1 0 1 0 2 6 0 0 0 - 18090 - 0 0 - - 0
            2 web 7 draining 127.0.0.7 2 0 1 1 0 1 0 2 6 0 0 0 - 18090 - 0 0 - - 0
            2 web 8 busy 127.0.0.8 2 0 1 1 0 1 0 2 6 0 0 0 - 18090 - 0 0 - - 0
            """ + "\n";

    /** show stat web 4 -1, right after the start. */
    static final String STAT_AT_START = """
            # pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,check_code,check_duration,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,hanafail,req_rate,req_rate_max,req_tot,cli_abrt,srv_abrt,comp_in,comp_out,comp_byp,comp_rsp,lastsess,last_chk,last_agt,qtime,ctime,rtime,ttime,agent_status,agent_code,agent_duration,check_desc,agent_desc,check_rise,check_fall,check_health,agent_rise,agent_fall,agent_health,addr,cookie,mode,algo,conn_rate,conn_rate_max,conn_tot,intercepted,dcon,dses,wrew,connect,reuse,cache_lookups,cache_hits,srv_icur,src_ilim,qtime_max,ctime_max,rtime_max,ttime_max,eint,idle_conn_cur,safe_conn_cur,used_conn_cur,need_conn_est,uweight,agg_server_status,agg_server_check_status,agg_check_status,-,ssl_sess,ssl_reused_sess,ssl_failed_handshake,h2_headers_rcvd,h2_data_rcvd,h2_settings_rcvd,h2_rst_stream_rcvd,h2_goaway_rcvd,h2_detected_conn_protocol_errors,h2_detected_strm_protocol_errors,h2_rst_stream_resp,h2_goaway_resp,h2_open_connections,h2_backend_open_streams,h2_total_connections,h2_backend_total_streams,h1_open_connections,h1_open_streams,h1_total_connections,h1_total_streams,h1_bytes_in,h1_bytes_out,h1_spliced_bytes_in,h1_spliced_bytes_out,
            web,up,0,0,0,0,,0,0,0,,0,,0,0,0,0,UP,1,1,0,0,0,0,0,,1,2,1,,0,,2,0,,0,L4OK,,1,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,Layer4 check passed,,2,3,4,,,,127.0.0.2:18090,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,1,1,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
            web,fresh,0,0,0,0,,0,0,0,,0,,0,0,0,0,UP,1,1,0,0,0,0,0,,1,2,2,,0,,2,0,,0,L4OK,,1,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,Layer4 check passed,,2,3,4,,,,127.0.0.3:18090,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,1,1,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
            web,down,0,0,0,0,,0,0,0,,0,,0,0,0,0,DOWN,1,1,0,1,1,0,0,,1,2,3,,0,,2,0,,0,L4CON,,0,0,0,0,0,0,0,,,,0,0,0,,,,,-1,Connection refused,,0,0,0,0,,,,Layer4 connection problem,,2,3,0,,,,127.0.0.9:18090,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,1,1,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
            web,nocheck,0,0,0,0,,0,0,0,,0,,0,0,0,0,no check,1,1,0,,,0,,,1,2,4,,0,,2,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,,,,,,,,,127.0.0.4:18090,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,0,1,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
            web,drained,0,0,0,0,,0,0,0,,0,,0,0,0,0,UP 1/3,1,1,0,0,0,0,0,,1,2,5,,0,,2,0,,0,INI,,,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,Initializing,,2,3,2,,,,127.0.0.5:18090,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,0,1,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
            web,maint,0,0,0,0,,0,0,0,,0,,0,0,0,0,UP 1/3,1,1,0,0,0,0,0,,1,2,6,,0,,2,0,,0,INI,,,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,Initializing,,2,3,2,,,,127.0.0.6:18090,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,0,1,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
            web,draining,0,0,0,0,,0,0,0,,0,,0,0,0,0,UP 1/3,1,1,0,0,0,0,0,,1,2,7,,0,,2,0,,0,INI,,,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,Initializing,,2,3,2,,,,127.0.0.7:18090,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,0,1,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
            web,busy,0,0,0,0,,0,0,0,,0,,0,0,0,0,UP 1/3,1,1,0,0,0,0,0,,1,2,8,,0,,2,0,,0,INI,,,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,Initializing,,2,3,2,,,,127.0.0.8:18090,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,0,1,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
            """ + "\n";

    /** show servers state web, with drained/draining in drain, maint/busy in maintenance. */
    static final String STATE_LATER = """
            1
            # be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port
            2 web 1 up 127.0.0.2 2 0 1 1 3 6 3 4 6 0 0 0 - 18090 - 0 0 - - 0
            2 web 2 fresh 127.0.0.3 2 0 1 1 3 6 3 4 6 0 0 0 - 18090 - 0 0 - - 0
            2 web 3 down 127.0.0.9 0 0 1 1 3 8 2 0 6 0 0 0 - 18090 - 0 0 - - 0
            2 web 4 nocheck 127.0.0.4 2 0 1 1 3 1 0 2 0 0 0 0 - 18090 - 0 0 - - 0
            2 web 5 drained 127.0.0.5 2 8 1 1 1 6 3 4 6 0 0 0 - 18090 - 0 0 - - 0
            2 web 6 maint 127.0.0.6 0 1 1 1 1 6 3 0 14 0 0 0 - 18090 - 0 0 - - 0
            2 web 7 draining 127.0.0.7 2 8 1 1 1 6 3 4 6 0 0 0 - 18090 - 0 0 - - 0
            2 web 8 busy 127.0.0.8 0 1 1 1 1 6 3 0 14 0 0 0 - 18090 - 0 0 - - 0
            """ + "\n";

    /** show stat web 4 -1 at the same time: draining and busy have one session each. */
    static final String STAT_LATER = """
            # pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,check_code,check_duration,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,hanafail,req_rate,req_rate_max,req_tot,cli_abrt,srv_abrt,comp_in,comp_out,comp_byp,comp_rsp,lastsess,last_chk,last_agt,qtime,ctime,rtime,ttime,agent_status,agent_code,agent_duration,check_desc,agent_desc,check_rise,check_fall,check_health,agent_rise,agent_fall,agent_health,addr,cookie,mode,algo,conn_rate,conn_rate_max,conn_tot,intercepted,dcon,dses,wrew,connect,reuse,cache_lookups,cache_hits,srv_icur,src_ilim,qtime_max,ctime_max,rtime_max,ttime_max,eint,idle_conn_cur,safe_conn_cur,used_conn_cur,need_conn_est,uweight,agg_server_status,agg_server_check_status,agg_check_status,-,ssl_sess,ssl_reused_sess,ssl_failed_handshake,h2_headers_rcvd,h2_data_rcvd,h2_settings_rcvd,h2_rst_stream_rcvd,h2_goaway_rcvd,h2_detected_conn_protocol_errors,h2_detected_strm_protocol_errors,h2_rst_stream_resp,h2_goaway_resp,h2_open_connections,h2_backend_open_streams,h2_total_connections,h2_backend_total_streams,h1_open_connections,h1_open_streams,h1_total_connections,h1_total_streams,h1_bytes_in,h1_bytes_out,h1_spliced_bytes_in,h1_spliced_bytes_out,
            web,up,0,0,0,0,,0,0,0,,0,,0,0,0,0,UP,1,1,0,0,0,3,0,,1,2,1,,0,,2,0,,0,L4OK,,0,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,Layer4 check passed,,2,3,4,,,,127.0.0.2:18090,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,1,1,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
            web,fresh,0,0,0,0,,0,0,0,,0,,0,0,0,0,UP,1,1,0,0,0,3,0,,1,2,2,,0,,2,0,,0,L4OK,,0,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,Layer4 check passed,,2,3,4,,,,127.0.0.3:18090,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,1,1,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
            web,down,0,0,0,0,,0,0,0,,0,,0,0,0,0,DOWN,1,1,0,1,1,3,3,,1,2,3,,0,,2,0,,0,L4CON,,0,0,0,0,0,0,0,,,,0,0,0,,,,,-1,Connection refused,,0,0,0,0,,,,Layer4 connection problem,,2,3,0,,,,127.0.0.9:18090,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,1,1,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
            web,nocheck,0,0,0,0,,0,0,0,,0,,0,0,0,0,no check,1,1,0,,,3,,,1,2,4,,0,,2,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,,,,,,,,,127.0.0.4:18090,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,0,1,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
            web,drained,0,0,0,0,,0,0,0,,0,,0,0,0,0,DRAIN,1,1,0,0,0,1,0,,1,2,5,,0,,2,0,,0,L4OK,,0,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,Layer4 check passed,,2,3,4,,,,127.0.0.5:18090,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,1,1,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
            web,maint,0,0,0,0,,0,0,0,,0,,0,0,0,0,MAINT,1,1,0,0,1,1,1,,1,2,6,,0,,2,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,,,,,,,,,127.0.0.6:18090,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,1,1,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
            web,draining,0,0,1,1,,1,0,0,,0,,0,0,0,0,DRAIN,1,1,0,0,0,1,0,,1,2,7,,0,,2,1,,1,L4OK,,0,0,0,0,0,0,0,,,,0,0,0,,,,,1,,,0,0,0,0,,,,Layer4 check passed,,2,3,4,,,,127.0.0.7:18090,,http,,,,,,,,0,1,0,,,0,,0,0,0,0,0,0,0,1,2,1,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
            web,busy,0,0,1,1,,1,0,0,,0,,0,0,0,0,MAINT,1,1,0,0,1,1,1,,1,2,8,,0,,2,1,,1,,,,0,0,0,0,0,0,,,,0,0,0,,,,,1,,,0,0,0,0,,,,,,,,,,,,127.0.0.8:18090,,http,,,,,,,,0,1,0,,,0,,0,0,0,0,0,0,0,1,2,1,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
            """ + "\n";
}
